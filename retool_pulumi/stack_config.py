"""The stack config of a Pulumi project, read from outside a Pulumi program.

The commands that run beside Pulumi rather than inside it (`retool-pulumi-export`,
`python -m retool_pulumi.recover`) take their connection settings where a program does: from the
stack config (`retool:host`, `retool:accessToken`, `retool:connections`, ...) of the project
they run in, then from the `RETOOL_*` variables. The config is read with
`pulumi config --json --show-secrets`: its secrets stay in this process (never written, never
printed); hand the values to `connection.set_stack_config`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["PROJECT_FILES", "StackConfig", "StackConfigError", "read_stack_config"]

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
_PULUMI_TIMEOUT = 300.0


class StackConfigError(Exception):
    """The stack config that was asked for (`--stack`) cannot be read."""


class StackConfig(NamedTuple):
    """The stack config read (fully qualified keys, secrets in plain text; None: none read),
    a sentence saying where the connection settings come from, and whether the current
    directory is a project whose config could not be read (worth a warning)."""

    values: dict[str, Any] | None
    source: str
    unread: bool = False


def _pulumi(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("pulumi")
    if binary is None:
        raise FileNotFoundError("the pulumi CLI is not on PATH")
    return subprocess.run(  # noqa: S603  (a fixed command; the stack name is one argument)
        [binary, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=_PULUMI_TIMEOUT,
        check=False,
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def read_stack_config(stack: str | None, cwd: Path) -> StackConfig:
    """The stack config of the Pulumi project in `cwd`.

    Outside a project directory, or when `pulumi config` fails for the selected stack, there is
    no stack config (None) and the sentence says why and what to do. With `stack` given, not
    being able to read it raises StackConfigError instead."""
    project = any((cwd / name).is_file() for name in PROJECT_FILES)
    if not project:
        if stack is not None:
            raise StackConfigError(
                f"--stack {stack}: {cwd} is not a Pulumi project directory (it has no Pulumi.yaml); "
                "run it in the project directory whose stack holds the retool:* config"
            )
        return StackConfig(
            None,
            f"no stack config was read: {cwd} is not a Pulumi project directory; run it in the "
            "project directory whose stack holds the retool:* config (pass --stack NAME to "
            "choose the stack), or set the RETOOL_* variables",
        )
    args = ["config", "--json", "--show-secrets", *(["--stack", stack] if stack else [])]
    try:
        done = _pulumi(args, cwd)
        failure = "" if done.returncode == 0 else _last_line(done.stderr) or f"exit status {done.returncode}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        failure = str(exc)
    if failure:
        if stack is not None:
            raise StackConfigError(
                f"--stack {stack}: cannot read its config ({failure}); `pulumi stack ls` lists the stacks"
            )
        return StackConfig(
            None,
            f"no stack config was read: `pulumi config` failed in {cwd} ({failure}); select a stack "
            "(pulumi stack select NAME) or pass --stack NAME",
            unread=True,
        )
    raw = json.loads(done.stdout or "{}")
    config = {
        str(k): (v.get("objectValue", v.get("value")) if isinstance(v, Mapping) else v)
        for k, v in raw.items()
    }
    name = stack
    if name is None:
        shown = _pulumi(["stack", "--show-name"], cwd)
        name = shown.stdout.strip() if shown.returncode == 0 else "(selected)"
    return StackConfig(config, f"stack config read from stack {name!r} of {cwd}, then the RETOOL_* variables")
