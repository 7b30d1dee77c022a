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
STATE = ROOT / ".pulumi-state"
STACK = "dev"


def pulumi(*args: str, env: dict[str, str]) -> None:
    print(f"$ pulumi {' '.join(args)}", flush=True)
    subprocess.run(["pulumi", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    STATE.mkdir(exist_ok=True)
    emulator = Emulator(token="demo-token", state_file=STATE / "retool-emulator.json").start()
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
        "  .venv/bin/python -m retool_pulumi.emulator --port 8484 --token demo-token \\\n"
        f"      --state {STATE}/retool-emulator.json\n"
        "and point the Retool API at it (RETOOL_HOST=127.0.0.1:8484 RETOOL_SCHEME=http)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
