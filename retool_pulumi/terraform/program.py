"""The program converted from a Terraform state: the exporter's project files, with the
hand-over from Terraform and what was not carried over in its README."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..export.program import ExportedProgram, Section, check_project_name, render_program
from ..export.text import markdown, shell_word
from .converter import TerraformConverter
from .state import Instance, load_state

__all__ = ["TOOL", "MigratedProgram", "convert_state"]

TOOL = "retool-pulumi from-terraform"
# What a command in the program's docstring and the README may hold (see ConfigKey.value_from).
_SAFE_WORD = re.compile(r"[A-Za-z0-9 _./@:+,%='-]+")
PLACEHOLDER = "path/to/terraform.tfstate"


@dataclass
class MigratedProgram(ExportedProgram):
    """An `ExportedProgram` converted from a Terraform state. `secret_values` are the state's
    values of the config keys (never written to a file; `--secret KEY` prints one);
    `unexpressed` lists the attributes not carried over; `moved` the Terraform addresses the
    program now manages entirely, `kept` those it could not (wholly) declare."""

    secret_values: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    unexpressed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _state_word(state_path: str | Path | None) -> str:
    """The state's absolute path as one shell word, or a placeholder where it holds characters
    a command in the program's docstring must not (quotes, backslashes, line breaks)."""
    if state_path is None:
        return PLACEHOLDER
    word = shell_word(str(Path(state_path).resolve()))
    return word if _SAFE_WORD.fullmatch(word) else PLACEHOLDER


def _handover(converter: TerraformConverter, secrets: bool) -> Section:
    lines = [
        f"1. {'Set the secrets (above), then run' if secrets else 'Run'} `pulumi up`: every object is "
        "adopted by the id the Terraform state holds, so nothing is created in Retool. What Retool "
        "never returns (secrets, resource options) and the organisation-wide settings are sent "
        "again, with the values from the Terraform state.",
        "2. `pulumi preview` shows no changes.",
        "3. Remove what moved from the Terraform state; this changes nothing in Retool:",
        "",
        "```sh",
        *[f"terraform state rm {shell_word(address)}" for address in converter.moved],
        "```",
        "",
        "4. Delete those `retool_*` resource blocks from the Terraform configuration: `terraform "
        "plan` then plans nothing for them. Until step 3 is done, never run `terraform apply` or "
        "`terraform destroy` on a configuration without them: Terraform would delete what "
        "Pulumi now manages.",
        "",
        'Every object is declared `retain_on_delete` (see "Adopted, not owned"): if something goes '
        "wrong before step 3, `pulumi destroy` only makes Pulumi forget the objects, and Retool "
        "and the Terraform state keep them.",
    ]
    if converter.kept:
        lines += [
            "",
            'Kept in Terraform, because the program could not declare all of it (see "Not declared"):',
            "",
            *[f"- {markdown(a)}" for a in converter.kept],
        ]
    return Section("Hand-over from Terraform", tuple(lines), early=True)


def _not_carried(converter: TerraformConverter) -> Section | None:
    lines = [f"- {markdown(u)}" for u in converter.unexpressed]
    if converter.read_back:
        lines += [
            f"- {markdown(tf_type)}: {', '.join(f'`{a}`' for a in sorted(attrs))}: set by Retool, "
            "read back by Pulumi as outputs"
            for tf_type, attrs in sorted(converter.read_back.items())
        ]
    if not lines:
        return None
    return Section("Not carried over from the Terraform state", tuple(lines))


def convert_state(
    state: str | Path | list[Instance],
    *,
    project_name: str = "retool-org",
    connection: str | None = None,
    state_path: str | Path | None = None,
) -> MigratedProgram:
    """The program that adopts the `retool_*` resources of a Terraform state (a path, or the
    instances of one). `state_path` (default: the path given) is the file the README's
    commands read secrets from. Raises ValueError for a project name Pulumi rejects, and
    `StateError` for a file that is not a state of format version 4."""
    check_project_name(project_name)
    if not isinstance(state, list):
        state_path = state if state_path is None else state_path
        state = load_state(state)
    word = _state_word(state_path)

    def value_from(key: str) -> str:
        return f"retool-pulumi from-terraform {word} --secret {key}"

    converter = TerraformConverter(state, connection, value_from)
    converter.run()
    config = list(converter.config.values())
    origin = (
        f"Converted from the Terraform state {state_path}"
        if state_path
        else "Converted from a Terraform state"
    )
    code = render_program(
        converter.decls,
        converter.system,
        converter.notes,
        config,
        connection,
        "",
        title="Retool organisation converted from a Terraform state by retool-pulumi from-terraform.",
        origin=origin,
    )
    intro = (
        "The program reads these from stack config. Each command takes the value from the Terraform "
        "state and hands it to `pulumi config set` on its standard input, so the value never "
        "appears on a command line or in these files (run them in this directory)"
    )
    if word == PLACEHOLDER:
        intro += f"; replace `{PLACEHOLDER}` with the state's path"
    intro += ". Values the state does not hold have to be typed in:"
    sections = [_handover(converter, bool(config))]
    carried = _not_carried(converter)
    if carried is not None:
        sections.append(carried)
    source = markdown(str(state_path)) if state_path else "a state"
    return MigratedProgram(
        code=code,
        config=config,
        declarations=converter.decls,
        notes=converter.notes,
        project_name=project_name,
        connection=connection,
        protected=converter.protected,
        tool=TOOL,
        origin=f"the Terraform state {source}",
        secrets_intro=intro,
        sections=sections,
        secret_values=dict(converter.values),
        unexpressed=converter.unexpressed,
        moved=converter.moved,
        kept=converter.kept,
    )
