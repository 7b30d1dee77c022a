"""`retool-pulumi-export`: where the connection comes from, and the files it writes.

The connection's settings are read the way a program reads them, first match wins: the stack
config of the Pulumi project in the current directory (`retool:host`, `retool:accessToken`,
`retool:connections`, ...; of the selected stack, or of `--stack`), then the `RETOOL_*`
variables. The stack config is read with `pulumi config --json --show-secrets`; its secrets stay
in this process (never written, never printed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .. import connection as connections
from ..client import RetoolClient
from ..errors import ConfigurationError, RetoolError
from .program import check_project_name

__all__ = ["StackConfig", "StackConfigError", "main", "read_stack_config"]

PROG = "retool-pulumi-export"
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
                "run the export in the project whose stack holds the retool:* config"
            )
        return StackConfig(
            None,
            "no stack config was read: the current directory is not a Pulumi project; run the "
            "export in the project whose stack holds the retool:* config (pass --stack NAME to "
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Write a Pulumi Python program declaring (and adopting) a live Retool organisation. "
            "The connection is read from the stack config of the Pulumi project in the current "
            "directory (retool:host, retool:accessToken, retool:connections), then from the "
            "RETOOL_* variables."
        ),
    )
    parser.add_argument("--output", "-o", help="project directory to write (default: print the program)")
    parser.add_argument(
        "--connection",
        help="a named connection, from retool:connections in the stack config or RETOOL_CONNECTIONS "
        "(default: the default connection); the exported program uses it too",
    )
    parser.add_argument(
        "--stack",
        help="the stack whose config to read (default: the selected stack of the project in the "
        "current directory)",
    )
    parser.add_argument(
        "--project-name", default="retool-org", help="the Pulumi project name (default: retool-org)"
    )
    args = parser.parse_args(argv)
    try:
        check_project_name(args.project_name)
        stack_config = read_stack_config(args.stack, Path.cwd())
    except (ValueError, StackConfigError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    if stack_config.unread:
        print(f"{PROG}: note: {stack_config.source}; using the RETOOL_* variables", file=sys.stderr)
    from . import export_program

    connections.set_stack_config(stack_config.values)
    try:
        settings = connections.resolve_settings(args.connection)
        with RetoolClient.from_settings(settings) as client:
            program = export_program(
                client,
                connection=args.connection,
                project_name=args.project_name,
                access_token_last4=settings.access_token[-4:],
            )
    except ConfigurationError as exc:
        print(f"{PROG}: {exc}\n  ({stack_config.source})", file=sys.stderr)
        return 1
    except RetoolError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    finally:
        connections.set_stack_config(None)
    if not args.output:
        sys.stdout.write(program.code)
        return 0
    for path in program.write(args.output):
        print(f"wrote {path}")
    print(f"{len(program.declarations)} objects declared; {len(program.config)} secrets to set:")
    for key in program.config:
        print(f"  {key.command}")
    return 0
