"""`make demo`: start the embedded Retool emulator, then `pulumi up` the root project on a local
file backend with passphrase secrets, and print the stack outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".pulumi-state"
STACK = "dev"


def pulumi(*args: str, env: dict[str, str]) -> None:
    print(f"$ pulumi {' '.join(args)}", flush=True)
    subprocess.run(["pulumi", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    STATE.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.setdefault("PULUMI_CONFIG_PASSPHRASE", "retool-pulumi-demo")
    env["PULUMI_BACKEND_URL"] = f"file://{STATE}"
    pulumi("stack", "select", "--create", STACK, env=env)
    pulumi("up", "--yes", "--stack", STACK, env=env)
    pulumi("stack", "output", "--stack", STACK, env=env)
    print(f"\nState lives in {STATE}. Try `pulumi preview` (no changes) or `pulumi destroy`,")
    print(
        "with the environment `make` sets (PATH=.tools/bin:$PATH, PULUMI_BACKEND_URL=file://.pulumi-state)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
