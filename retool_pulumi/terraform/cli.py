"""`retool-pulumi from-terraform STATE`: write the program that adopts what a Terraform state
manages (or, with `--secret KEY`, print the state's value of one secret for `pulumi config set`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .program import convert_state
from .state import StateError

__all__ = ["main"]

PROG = "retool-pulumi from-terraform"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Write a Pulumi Python program that adopts the retool_* resources of a Terraform state "
            "(format version 4: terraform.tfstate, or `terraform state pull > terraform.tfstate`). "
            "Reads only the file; Retool is not contacted."
        ),
    )
    parser.add_argument("state", help="the Terraform state file")
    parser.add_argument("--output", "-o", help="project directory to write (default: print the program)")
    parser.add_argument(
        "--project-name", default="retool-org", help="the Pulumi project name (default: retool-org)"
    )
    parser.add_argument(
        "--connection",
        help="a named connection (retool:connections in the stack config, or RETOOL_CONNECTIONS) "
        "for every declaration (default: the default connection)",
    )
    parser.add_argument(
        "--secret",
        metavar="KEY",
        help="print the state's value of the config key KEY, to pipe into `pulumi config set --secret KEY` "
        "(the README lists the commands)",
    )
    args = parser.parse_args(argv)
    if args.secret is not None and sys.stdout.isatty():
        print(
            f"{PROG}: --secret prints a secret: pipe it, as in `{PROG} {args.state} --secret {args.secret} "
            f"| pulumi config set --secret {args.secret}`",
            file=sys.stderr,
        )
        return 2
    try:
        program = convert_state(args.state, project_name=args.project_name, connection=args.connection)
    except (OSError, StateError, ValueError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    if args.secret is not None:
        if args.secret not in program.config_keys:
            known = ", ".join(program.config_keys) or "none"
            print(f"{PROG}: no config key {args.secret!r} (the program's: {known})", file=sys.stderr)
            return 2
        if args.secret not in program.secret_values:
            print(
                f"{PROG}: the state holds no value for {args.secret!r}: set it yourself with "
                f"`pulumi config set --secret {args.secret}` (README.md says what it is)",
                file=sys.stderr,
            )
            return 1
        sys.stdout.write(program.secret_values[args.secret])
        return 0
    if not args.output:
        sys.stdout.write(program.code)
        return 0
    for path in program.write(args.output):
        print(f"wrote {path}")
    print(
        f"{len(program.declarations)} objects declared from {len(program.moved)} Terraform resources; "
        f"{len(program.config)} secrets to set; {len(program.unexpressed)} attributes not carried over "
        f"and {len(program.notes)} notes (see README.md)"
    )
    return 0
