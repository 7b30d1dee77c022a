"""`python -m retool_pulumi.emulator` / `retool-emulator`: serve the emulator until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from retool_pulumi.emulator.server import Emulator


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start serving, print the base URL once ready."""
    parser = argparse.ArgumentParser(prog="retool-emulator", description="Offline Retool API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8484)
    parser.add_argument("--token", default="test-token", help="bearer token clients must send")
    parser.add_argument("--state", default=None, help="JSON file to load state from and persist it to")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--validate-responses", action="store_true", help="check every response against the spec"
    )
    args = parser.parse_args(argv)

    em = Emulator(
        token=args.token,
        host=args.host,
        port=args.port,
        seed=args.seed,
        state_file=args.state,
        validate_responses=args.validate_responses,
    ).start()
    stopped = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"Retool emulator ready at {em.base_url}", flush=True)
    try:
        while not stopped.wait(0.5):
            pass
    finally:
        em.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
