"""The exported program: its building blocks (declarations, references, secrets) and how each
file of the project is written from them. Text from Retool goes through `text` only."""

from __future__ import annotations

import importlib.metadata
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import comment, markdown, python_string, yaml_string

__all__ = [
    "ConfigKey",
    "Declaration",
    "ExportedProgram",
    "Expr",
    "Lookup",
    "Ref",
    "Secret",
    "Section",
    "check_project_name",
    "literal",
]

LINE = 88  # the program is written the way `ruff format` writes a project (line length 88)
DISTRIBUTION = "retool-pulumi"
# Pulumi's rule for project names (`pulumi new`, Pulumi.yaml).
PROJECT_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
# The options every declaration carries (variables of the program).
# What a command that prints a secret may hold: no quote but `'`, no backslash, no line break.
_SAFE_COMMAND = re.compile(r"[A-Za-z0-9 _./@:+,%='-]*")
ADOPTED = "ADOPTED"
PROTECTED = "PROTECTED"


def check_project_name(name: str) -> None:
    """Raise ValueError unless `name` is a project name Pulumi accepts."""
    if not PROJECT_NAME.match(name):
        raise ValueError(
            f"project name {name!r} is not one Pulumi accepts: use 1 to 100 letters, digits, "
            "hyphens, underscores or periods (--project-name)"
        )


# ---- building blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """An output of another declared resource: `<var>.<attr>` (its id unless said otherwise)."""

    var: str
    attr: str = "id"


@dataclass(frozen=True)
class Expr:
    """A Python expression the exporter built itself (a system object's lookup variable);
    never text from Retool."""

    code: str


@dataclass(frozen=True)
class Lookup:
    """A system object's id, looked up by `retool.<function>(<params>)["id"]`; `params` are
    Python expressions (quoted with `python_string`)."""

    function: str
    params: tuple[str, ...]

    def render(self, var: str) -> str:
        """`var = <lookup>`, wrapped the way ruff wraps it when it is too long."""
        call = f"retool.{self.function}("
        line = f'{var} = {call}{", ".join(self.params)})["id"]'
        if len(line) <= LINE:
            return line
        inner = ", ".join(self.params)
        if 4 + len(inner) <= LINE:
            return f'{var} = {call}\n    {inner}\n)["id"]'
        return f"{var} = {call}\n" + "".join(f"    {p},\n" for p in self.params) + ')["id"]'


@dataclass(frozen=True)
class Secret:
    """A secret read from stack config: `config.require_secret(key)` (`_object` for JSON)."""

    key: str
    whole_object: bool = False


@dataclass(frozen=True)
class ConfigKey:
    """A stack config value the exported program requires (always set with `--secret`).
    `key` is made of letters, digits and hyphens; `description` may quote Retool's names.
    `value_from` is a shell command that prints the value (built by the producer from safe words
    only; empty: the user types the value in)."""

    key: str
    description: str
    is_object: bool = False
    value_from: str = ""

    def __post_init__(self) -> None:
        # Commands are written into the program's docstring and the README as they are.
        if not _SAFE_COMMAND.fullmatch(self.value_from):
            raise ValueError(f"value_from {self.value_from!r} holds characters a command here must not")

    @property
    def command(self) -> str:
        if self.value_from:
            # `pulumi config set` reads the value from its standard input: never on a command line.
            return f"{self.value_from} | pulumi config set --secret {self.key}"
        value = "'<JSON object>'" if self.is_object else "'<value>'"
        return f"pulumi config set --secret {self.key} {value}"


@dataclass
class Declaration:
    """One resource statement of the program. `var` is a fresh identifier; `args` hold plain
    values, `Ref`s, `Expr`s and `Secret`s; `protect` adds `protect=True` to `retain_on_delete`;
    `name` is the Pulumi resource name (empty: derived from `var`)."""

    kind: str
    var: str
    args: dict[str, Any]
    adopt_id: str | None
    comment: str = ""
    protect: bool = False
    name: str = ""

    @property
    def resource_name(self) -> str:
        return self.name or self.var.replace("_", "-")


@dataclass(frozen=True)
class Section:
    """A README section a producer adds: `title` is its own text, `lines` are Markdown whose
    text from the source went through `text.markdown` (or a code block of safe words). `early`
    sections come before "Adopted, not owned", the others after "Taking ownership"."""

    title: str
    lines: tuple[str, ...]
    early: bool = False


def secrets_in(value: Any) -> list[Secret]:
    """The `Secret`s inside a declaration's value."""
    if isinstance(value, Secret):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in secrets_in(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in secrets_in(v)]
    return []


# ---- code -----------------------------------------------------------------------------------------


def literal(value: Any) -> str:
    """`value` as a one-line Python expression."""
    if isinstance(value, Ref):
        return f"{value.var}.{value.attr}"
    if isinstance(value, Expr):
        return value.code
    if isinstance(value, Secret):
        call = "require_secret_object" if value.whole_object else "require_secret"
        return f"config.{call}({python_string(value.key)})"
    if isinstance(value, str):
        return python_string(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{python_string(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return python_string(str(value))


def _expr(value: Any, indent: int, lead: int) -> str:
    """`value` as Python, on one line when it fits after `lead` characters, else expanded."""
    text = literal(value)
    pad = " " * (indent + 4)
    if indent + lead + len(text) + 1 > LINE and isinstance(value, Secret):
        return text.replace("(", f"(\n{pad}", 1)[:-1] + "\n" + " " * indent + ")"
    if indent + lead + len(text) + 1 <= LINE or not isinstance(value, (Mapping, list, tuple)) or not value:
        return text
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            key = f"{python_string(str(k))}: "
            items.append(f"{pad}{key}{_expr(v, indent + 4, len(key))},\n")
        return "{\n" + "".join(items) + " " * indent + "}"
    return "[\n" + "".join(f"{pad}{_expr(v, indent + 4, 0)},\n" for v in value) + " " * indent + "]"


def render_declaration(decl: Declaration, connection: str | None) -> str:
    lines = [f"# {comment(decl.comment)}"] if decl.comment else []
    lines.append(f"{decl.var} = retool.{decl.kind}(")
    lines.append(f"    {python_string(decl.resource_name)},")
    for key, value in decl.args.items():
        lines.append(f"    {key}={_expr(value, 4, len(key) + 1)},")
    if decl.adopt_id is not None:
        lines.append(f"    adopt_id={python_string(decl.adopt_id)},")
    if connection:
        lines.append("    connection=CONNECTION,")
    lines.append(f"    opts={PROTECTED if decl.protect else ADOPTED},")
    lines.append(")")
    return "\n".join(lines)


def render_program(
    declarations: list[Declaration],
    system: Mapping[str, Lookup],
    notes: list[str],
    config: list[ConfigKey],
    connection: str | None,
    host: str,
    title: str = "Retool organisation exported by retool-pulumi-export.",
    origin: str = "",
) -> str:
    """`__main__.py`. `title` is the docstring's first line (our own text); `origin` (default:
    "Exported from <host>") is written as a comment. Comments never land on its first two lines
    (where Python would read a `coding:` declaration)."""
    body = "\n\n".join(render_declaration(d, connection) for d in declarations)
    used = {v: lookup for v, lookup in system.items() if re.search(rf"\b{re.escape(v)}\b", body)}
    header = [
        f'"""{title}',
        "",
        "Every object carries adopt_id, so the first `pulumi up` adopts it instead of creating a",
        "new one, and is retained on delete: `pulumi destroy` (or removing a declaration) leaves",
        'it in Retool. See README.md ("Adopted, not owned").',
    ]
    if config:
        header += ["Secrets are read from stack config; set them first (see README.md):", ""]
        header += [f"    {c.command}" for c in config]
    header += ['"""', ""]
    origin = origin or (f"Exported from {host}" if host else "")
    if origin:
        header += [f"# {comment(origin)} by {DISTRIBUTION} {_version() or '(unknown version)'}", ""]
    header += ["import pulumi", "", "import retool_pulumi as retool", ""]
    if config:
        header += ["config = pulumi.Config()"]
    if connection is not None:
        header += [f"CONNECTION = {python_string(connection)}"]
    parts = ["\n".join(header).rstrip() + "\n"]
    options = [
        "# Adopted, not owned: `pulumi destroy`, or removing a declaration, leaves the object in",
        '# Retool. To let Pulumi delete objects, see "Taking ownership" in README.md.',
        f"{ADOPTED} = pulumi.ResourceOptions(retain_on_delete=True)",
    ]
    if any(d.protect for d in declarations):
        options += [
            "# What keeps you in the organisation (your own user and admin membership, your",
            "# access token, SSO) is also protected: Pulumi refuses to delete it, even once owned.",
            f"{PROTECTED} = pulumi.ResourceOptions(retain_on_delete=True, protect=True)",
        ]
    parts.append("\n".join(options) + "\n")
    if used:
        lines = ["# System objects: referenced, never declared."]
        lines += [lookup.render(v) for v, lookup in used.items()]
        parts.append("\n".join(lines) + "\n")
    if notes:
        parts.append("\n".join(["# Not declared:", *[f"# - {comment(n)}" for n in notes]]) + "\n")
    if body:
        parts.append(body + "\n")
    return "\n\n".join(parts)


# ---- the other files --------------------------------------------------------------------------------


def _version() -> str | None:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None


def _pulumi_requirement() -> str:
    """The pulumi requirement retool-pulumi itself declares (one source of truth)."""
    try:
        requires = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        requires = []
    for requirement in requires:
        name = re.match(r"[A-Za-z0-9._-]+", requirement)
        if name and name.group(0).lower() == "pulumi" and ";" not in requirement:
            return requirement.strip()
    return "pulumi>=3,<4"


def requirements_txt(tool: str = "retool-pulumi-export") -> str:
    """requirements.txt: the exact retool-pulumi that wrote the program, and the pulumi range
    that version works with."""
    version = _version()
    ours = (
        f"{DISTRIBUTION}=={version}"
        if version
        else f"{DISTRIBUTION}  # the exporter's version is unknown (not installed): pin it yourself"
    )
    return f"# Written by {tool}: the version that wrote __main__.py.\n{ours}\n{_pulumi_requirement()}\n"


@dataclass
class ExportedProgram:
    """The exported project: `code` is `__main__.py`; `config` the secrets it reads; `notes`
    what was not declared and why; `protected` what is declared with `protect=True` and why.
    The rest says where the program comes from: `tool` wrote it, `origin` is a Markdown phrase
    naming the source (default: the host), `secrets_intro` says why the secrets must be set,
    and `sections` are the producer's own README sections."""

    code: str
    config: list[ConfigKey]
    declarations: list[Declaration]
    notes: list[str]
    project_name: str = "retool-org"
    host: str = ""
    connection: str | None = None
    protected: list[str] = field(default_factory=list)
    tool: str = "retool-pulumi-export"
    origin: str = ""
    secrets_intro: str = "Retool never returns these values, so the export cannot know them:"
    sections: list[Section] = field(default_factory=list)

    @property
    def _verb(self) -> str:
        return "Exported" if self.tool == "retool-pulumi-export" else "Written"

    @property
    def config_keys(self) -> list[str]:
        return [c.key for c in self.config]

    def pulumi_yaml(self) -> str:
        return (
            f"name: {yaml_string(self.project_name)}\n"
            f"description: {yaml_string(f'Retool organisation {self._verb.lower()} by {self.tool}')}\n"
            "runtime:\n"
            "  name: python\n"
            "  options:\n"
            "    toolchain: pip\n"
            "    virtualenv: venv\n"
        )

    def requirements(self) -> str:
        return requirements_txt(self.tool)

    def readme(self) -> str:
        source = self.origin or (markdown(self.host) if self.host else "a Retool organisation")
        out = [
            f"# {markdown(self.project_name)}",
            "",
            f"{self._verb} by `{self.tool}` from {source}: {len(self.declarations)} objects, each "
            "declared with `adopt_id`, so the first `pulumi up` adopts them (nothing is created) and "
            "later runs manage them. `pip install -r requirements.txt` installs the retool-pulumi "
            "version that wrote the program.",
            "",
            "## Connection",
            "",
        ]
        if self.connection is None:
            out += [
                "Set `RETOOL_HOST` and `RETOOL_ACCESS_TOKEN`, or the stack config `retool:host` and "
                "`retool:accessToken` (`pulumi config set --secret retool:accessToken ...`).",
            ]
        else:
            out += [
                f"Every declaration uses the named connection {markdown(python_string(self.connection))} "
                "(`CONNECTION` in `__main__.py`): define it in the stack config `retool:connections` "
                "(an object of connection name to `host`, `accessToken`, `scheme`; set it with "
                "`pulumi config set --secret retool:connections '<JSON>'`) or in `RETOOL_CONNECTIONS`.",
            ]
        out.append("")
        if self.config:
            out += [
                "## Secrets to set before `pulumi up`",
                "",
                self.secrets_intro,
                "",
                "```sh",
                *[c.command for c in self.config],
                "```",
                "",
                *[f"- `{c.key}`: {markdown(c.description)}" for c in self.config],
                "",
            ]
        for section in self.sections:
            if section.early:
                out += [f"## {section.title}", "", *section.lines, ""]
        out += [
            "## Adopted, not owned",
            "",
            "Every declaration has `opts=ADOPTED`, that is `retain_on_delete=True`: `pulumi destroy`, "
            "or removing a declaration from the program, makes Pulumi forget the object and leaves "
            "it in Retool as it is.",
            "",
        ]
        if self.protected:
            out += [
                "These are also protected (`opts=PROTECTED`, `protect=True`), because losing them "
                "locks you out of the organisation: Pulumi refuses to delete or replace them, and "
                "`pulumi destroy` stops with an error while they are in the stack.",
                "",
                *[f"- {markdown(p)}" for p in self.protected],
                "",
                "To stop managing the organisation with this stack (Retool keeps everything): "
                "`pulumi destroy --exclude-protected`, then `pulumi state unprotect --all --yes` "
                "and `pulumi destroy`.",
                "",
            ]
        out += [
            "### Taking ownership",
            "",
            "To let Pulumi delete what you remove from the program (and everything, on "
            "`pulumi destroy`), replace `ADOPTED = pulumi.ResourceOptions(retain_on_delete=True)` "
            "with `ADOPTED = pulumi.ResourceOptions()` in `__main__.py` (or give single declarations "
            "`opts=pulumi.ResourceOptions()`) and run `pulumi up`: it records the change, without "
            "touching Retool. Keep `PROTECTED` as it is.",
            "",
        ]
        for section in self.sections:
            if not section.early:
                out += [f"## {section.title}", "", *section.lines, ""]
        if self.notes:
            out += ["## Not declared", "", *[f"- {markdown(n)}" for n in self.notes], ""]
        return "\n".join(out)

    def files(self) -> dict[str, str]:
        return {
            "__main__.py": self.code,
            "Pulumi.yaml": self.pulumi_yaml(),
            "requirements.txt": self.requirements(),
            "README.md": self.readme(),
        }

    def write(self, directory: str | Path) -> list[Path]:
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self.files().items():
            path = target / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
