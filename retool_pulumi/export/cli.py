"""`retool-pulumi-export`: where the connection comes from, and the files it writes.

The connection's settings are read the way a program reads them, first match wins: the stack
config of the Pulumi project in the current directory (`retool:host`, `retool:accessToken`,
`retool:connections`, ...; of the selected stack, or of `--stack`), then the `RETOOL_*`
variables. The stack config is read as `retool_pulumi.stack_config` reads it; its secrets stay
in this process (never written, never printed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import connection as connections
from ..client import RetoolClient
from ..errors import ConfigurationError, RetoolError
from ..stack_config import StackConfig, StackConfigError, read_stack_config
from .program import check_project_name

__all__ = ["StackConfig", "StackConfigError", "main", "read_stack_config"]

PROG = "retool-pulumi-export"


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
