"""Recover a stack after `pulumi up` was killed mid-flight, without duplicating anything.

    python -m retool_pulumi.recover [--stack STACK] [--cwd PROJECT_DIR]

then run `pulumi up` again. It runs `pulumi` from PATH in the project directory with the usual
environment (backend, passphrase, RETOOL_* or stack config) and:

1. deletes an empty checkpoint sidecar (`<stack>.json.attrs`) of a file backend: a kill between
   writing it and renaming the new checkpoint leaves "failed to load checkpoint: EOF";
2. `pulumi cancel` removes the killed update's lock;
3. for every pending create in `pulumi stack export`, looks the object up in Retool by its
   natural key: one the server applied is recorded in the state with its id, the others are
   dropped; `pulumi stack import`;
4. `pulumi refresh` reads the recorded objects in full.

(`pulumi refresh --import-pending-creates` is meant to do step 3, but with 3.274 on a file
backend it was seen dropping the pending creates without recording them, so the next up made
those objects a second time.)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .connection import get_client
from .engine.spec import spec_for

__all__ = ["Recovery", "main", "recover"]


@dataclass(frozen=True)
class Recovery:
    """What recovery did: pending creates found in Retool (recorded) and not found (dropped)."""

    adopted: int
    dropped: int


def _pulumi(cwd: Path, stack: str | None, *args: str) -> str:
    cmd = ["pulumi", "--non-interactive", *args] + (["--stack", stack] if stack else [])
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603 (our args)
    if out.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return out.stdout


def _clear_empty_sidecars() -> None:
    backend = os.environ.get("PULUMI_BACKEND_URL", "")
    if backend.startswith("file://"):
        for sidecar in (Path(backend.removeprefix("file://")) / ".pulumi").rglob("*.attrs"):
            if sidecar.stat().st_size == 0:
                sidecar.unlink()


def recover(cwd: Path, stack: str | None = None) -> Recovery:
    """Run the recovery flow for `stack` of the project in `cwd` (see the module docstring)."""
    _clear_empty_sidecars()
    _pulumi(cwd, stack, "cancel", "--yes")
    exported: dict[str, Any] = json.loads(_pulumi(cwd, stack, "stack", "export"))
    deployment = exported["deployment"]
    pending = [op for op in deployment.get("pending_operations") or [] if op.get("type") == "creating"]
    adopted = 0
    for op in pending:
        res: dict[str, Any] = op["resource"]
        kind = str(res.get("type", "")).rsplit(":", 1)[-1]
        if "dynamic/retool:" not in str(res.get("type", "")):
            continue
        spec = spec_for(kind)
        inputs = res.get("inputs") or {}
        name = inputs.get("connection")
        found = spec.find_existing(get_client(str(name) if name else None), spec.inputs_of(inputs))
        if found is not None:
            # The create reached Retool: record the object; the refresh below reads it in full.
            res["id"] = spec.object_id(found)
            res["outputs"] = dict(inputs)
            deployment["resources"].append(res)
            adopted += 1
    if pending:
        deployment["pending_operations"] = [
            op for op in deployment["pending_operations"] if op not in pending
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fixed:
            json.dump(exported, fixed)
        try:
            _pulumi(cwd, stack, "stack", "import", "--file", fixed.name)
        finally:
            os.unlink(fixed.name)
    _pulumi(cwd, stack, "refresh", "--yes", "--skip-preview")
    return Recovery(adopted=adopted, dropped=len(pending) - adopted)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m retool_pulumi.recover", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--stack", help="the stack (default: the selected one)")
    parser.add_argument("--cwd", default=".", help="the Pulumi project directory")
    args = parser.parse_args(argv)
    result = recover(Path(args.cwd), args.stack)
    print(
        f"Recovered: {result.adopted} pending create(s) found in Retool and recorded, "
        f"{result.dropped} never applied and dropped. Now run `pulumi up`."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
