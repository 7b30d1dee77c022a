"""`retool-pulumi` (and `python -m retool_pulumi`): the command line, one subcommand per tool.

retool-pulumi from-terraform terraform.tfstate --output retool-org
retool-pulumi export --output retool-org      # the same as retool-pulumi-export
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

__all__ = ["main"]

USAGE = """usage: retool-pulumi COMMAND [ARGS]

commands:
  from-terraform STATE   write a Pulumi program that adopts what a Terraform state manages
  export                 write a Pulumi program that adopts a live Retool organisation

`retool-pulumi COMMAND --help` describes a command's options.
"""


def _from_terraform(argv: Sequence[str]) -> int:
    from .terraform.cli import main as run

    return run(argv)


def _export(argv: Sequence[str]) -> int:
    from .export.cli import main as run

    return run(argv)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"from-terraform": _from_terraform, "export": _export}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    command = COMMANDS.get(args[0])
    if command is None:
        sys.stderr.write(f"retool-pulumi: unknown command {args[0]!r}\n{USAGE}")
        return 2
    return command(args[1:])
