"""`make demo`: start the embedded Retool emulator (its state kept next to the Pulumi state),
then `pulumi up` the root project on a local file backend with passphrase secrets, and print
the stack outputs and where to look next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from retool_pulumi.emulator import Emulator

ROOT = Path(__file__).resolve().parents[1]
# RETOOL_DEMO_STATE: another place for both states (tests/test_demo.py runs the demo in a temp dir).
STATE = Path(os.environ.get("RETOOL_DEMO_STATE") or ROOT / ".pulumi-state")
STACK = "dev"
# The emulated Retool keeps its address between runs: each resource records the Retool it lives
# in (its host and port), and a stack refuses to act on objects of another Retool.
PORT_FILE = STATE / "retool-emulator.port"


def pulumi(*args: str, env: dict[str, str]) -> None:
    print(f"$ pulumi {' '.join(args)}", flush=True)
    subprocess.run(["pulumi", *args], cwd=ROOT, env=env, check=True)


def start_emulator() -> Emulator:
    """The demo's Retool, on the port of the first run (chosen free then, and kept)."""
    port = int(PORT_FILE.read_text()) if PORT_FILE.exists() else 0
    emulator = Emulator(token="demo-token", port=port, state_file=STATE / "retool-emulator.json")
    try:
        emulator.start()
    except OSError as exc:
        raise SystemExit(
            f"make demo: the demo's Retool lives at 127.0.0.1:{port} (the state records it), but that "
            f"port is taken ({exc.strerror}). Free it and run `make demo` again, or start over with "
            "`rm -rf .pulumi-state`."
        ) from None
    PORT_FILE.write_text(f"{emulator.port}\n")
    return emulator


def main() -> int:
    STATE.mkdir(exist_ok=True)
    emulator = start_emulator()
    print(f"Retool emulator at {emulator.base_url} (state in {emulator.state_file})", flush=True)
    env = dict(os.environ)
    env.setdefault("PULUMI_CONFIG_PASSPHRASE", "retool-pulumi-demo")
    env["PULUMI_BACKEND_URL"] = f"file://{STATE}"
    env.update(RETOOL_HOST=emulator.host, RETOOL_ACCESS_TOKEN=emulator.token, RETOOL_SCHEME="http")
    try:
        pulumi("stack", "select", "--create", STACK, env=env)
        pulumi("up", "--yes", "--stack", STACK, env=env)
        pulumi("stack", "output", "--stack", STACK, env=env)
    finally:
        emulator.stop()
    print(
        f"\nDone. Pulumi state: {STATE}; the emulated Retool's state: {STATE / 'retool-emulator.json'}.\n"
        "Run `make demo` again: nothing changes. Edit examples/quickstart/__main__.py and run it to\n"
        "see an update. Serve the emulated org yourself with\n"
        f"  .venv/bin/python -m retool_pulumi.emulator --port {emulator.port} --token demo-token \\\n"
        f"      --state {STATE}/retool-emulator.json\n"
        f"and point the Retool API at it (RETOOL_HOST=127.0.0.1:{emulator.port} RETOOL_SCHEME=http)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
