"""`python -m retool_pulumi.emulator` / `retool-emulator`: serve the emulator until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from retool_pulumi.emulator.server import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_LOGGED_REQUESTS,
    DEFAULT_REQUEST_TIMEOUT_S,
    Emulator,
)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start serving, print the base URL once ready."""
    parser = argparse.ArgumentParser(prog="retool-emulator", description="Offline Retool API emulator")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8484)
    parser.add_argument("--token", default="test-token", help="bearer token the API and the hooks require")
    parser.add_argument(
        "--state", default=None, help="JSON file (mode 0600) to load state from and persist it to"
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="fix the random ids (default: a fresh seed, printed on stderr)"
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another host name clients may use to reach the emulator (repeatable)",
    )
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    parser.add_argument(
        "--request-timeout", type=float, default=DEFAULT_REQUEST_TIMEOUT_S, help="seconds per socket read"
    )
    parser.add_argument("--max-logged-requests", type=int, default=DEFAULT_MAX_LOGGED_REQUESTS)
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
        allowed_hosts=args.allow_host,
        max_body_bytes=args.max_body_bytes,
        request_timeout=args.request_timeout,
        max_logged_requests=args.max_logged_requests,
    ).start()
    print(f"seed {em.seed}", file=sys.stderr, flush=True)
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
