"""Export a live Retool organisation as a Pulumi Python program that adopts it.

    python -m retool_pulumi.export --output retool-org     # or: retool-pulumi-export ...

reads every object of every registered type it can enumerate and writes `__main__.py` (one
statement per object, with `adopt_id` so the first `pulumi up` adopts instead of creating),
`Pulumi.yaml`, `requirements.txt` and a `README.md` listing the secret config to set first.

- Secrets are never written: values Retool masks (secret configuration variables, source control
  credentials, SSO client secrets, credentials inside resource configuration options) and values
  it never returns (a resource's `options`) become `config.require_secret(...)` /
  `config.require_secret_object(...)` references with documented keys.
- System objects are referenced, not declared: root and other system folders, the default groups
  (admin, editor, viewer, All Users), the default environment, default roles.
- References between exported objects go through their variables (`folder_reports.id`).
- The output is deterministic: objects sorted by name (then id), variable names derived from
  names, deduplicated with a numeric suffix.
"""

from __future__ import annotations

import argparse
import inspect
import json
import keyword
import re
import sys
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .client import RetoolClient
from .engine import all_specs
from .engine.spec import ResourceSpec
from .engine.values import MASK
from .errors import NotFoundError, RetoolError

__all__ = ["ConfigKey", "Declaration", "ExportedProgram", "export_program", "main"]

DEFAULT_GROUPS = ("admin", "editor", "viewer", "All Users")
IMPLICIT_GROUP = "All Users"  # every user is a member: memberships are not declared
PERMISSION_OBJECT_TYPES = ("app", "folder", "resource", "resource_configuration")
# Where in the program each kind is declared: a kind refers only to kinds declared before it.
ORDER = (
    "Environment",
    "Folder",
    "Group",
    "UserAttribute",
    "User",
    "GroupMember",
    "UserAttributeValue",
    "Space",
    "Resource",
    "ResourceConfiguration",
    "ConfigurationVariable",
    "Permission",
    "Role",
    "RoleGrant",
    "UserInvite",
    "AppTheme",
    "CustomComponentLibrary",
    "AccessToken",
    "ObservabilityConfig",
    "SsoConfig",
    "SourceControl",
    "SourceControlSettings",
    "OrganizationSettings",
    "AiSettings",
)
# Keys of options/config objects that hold credentials: exported as config references even when
# Retool returns them in plain text.
_CREDENTIAL = re.compile(r"(password|secret|token|private_key|api_key|access_key|^dsn$|credential)")
_RESERVED = {"pulumi", "retool", "config", "CONNECTION"}
LINE = 88


# ---- the program's building blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The id of another declared resource: `<var>.id`."""

    var: str


@dataclass(frozen=True)
class Expr:
    """A Python expression written as is (e.g. a system object's id from a lookup)."""

    code: str


@dataclass(frozen=True)
class Secret:
    """A secret read from stack config."""

    key: str
    whole_object: bool = False


@dataclass(frozen=True)
class ConfigKey:
    """A stack config value the exported program requires (always set with `--secret`)."""

    key: str
    description: str
    is_object: bool = False

    @property
    def command(self) -> str:
        value = "'<JSON object>'" if self.is_object else "'<value>'"
        return f"pulumi config set --secret {self.key} {value}"


@dataclass
class Declaration:
    """One resource statement of the program."""

    kind: str
    var: str
    args: dict[str, Any]
    adopt_id: str | None
    comment: str = ""
    depends_on: list[str] = field(default_factory=list)

    @property
    def resource_name(self) -> str:
        return self.var.replace("_", "-")


@dataclass
class ExportedProgram:
    """The exported program: `code` is `__main__.py`; `config` the secrets it reads."""

    code: str
    config: list[ConfigKey]
    declarations: list[Declaration]
    notes: list[str]
    project_name: str = "retool-org"
    host: str = ""

    @property
    def config_keys(self) -> list[str]:
        return [c.key for c in self.config]

    def pulumi_yaml(self) -> str:
        return (
            f"name: {self.project_name}\n"
            "description: Retool organisation exported by retool-pulumi-export\n"
            "runtime:\n"
            "  name: python\n"
            "  options:\n"
            "    toolchain: pip\n"
            "    virtualenv: venv\n"
        )

    def readme(self) -> str:
        out = [
            f"# {self.project_name}",
            "",
            f"Exported by `retool-pulumi-export` from {self.host or 'a Retool organisation'}: "
            f"{len(self.declarations)} objects, each declared with `adopt_id`, so the first "
            "`pulumi up` adopts them (nothing is created) and later runs manage them.",
            "",
            "Connection: set `RETOOL_HOST` and `RETOOL_ACCESS_TOKEN` (or stack config `retool:host` "
            "and `pulumi config set --secret retool:accessToken ...`).",
            "",
        ]
        if self.config:
            out += [
                "## Secrets to set before `pulumi up`",
                "",
                "Retool never returns these values, so the export cannot know them:",
                "",
                "```sh",
                *[c.command for c in self.config],
                "```",
                "",
                *[f"- `{c.key}`: {c.description}" for c in self.config],
                "",
            ]
        if self.notes:
            out += ["## Not declared", "", *[f"- {n}" for n in self.notes], ""]
        return "\n".join(out)

    def write(self, directory: str | Path) -> list[Path]:
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        files = {
            "__main__.py": self.code,
            "Pulumi.yaml": self.pulumi_yaml(),
            "requirements.txt": "retool-pulumi\npulumi>=3.216,<4\n",
            "README.md": self.readme(),
        }
        written = []
        for name, text in files.items():
            path = target / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written


# ---- names ----------------------------------------------------------------------------------------


def _snake(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:60].rstrip("_")


def _config_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _order(label: Any, id_: Any) -> tuple[str, str, str]:
    """Sort key: by label ignoring case, then exactly, then by id."""
    text = str(label)
    return (text.casefold(), text, str(id_))


def _label_of(obj: Mapping[str, Any]) -> str:
    for key in ("name", "display_name", "label", "email", "title"):
        if isinstance(obj.get(key), str) and obj[key]:
            return str(obj[key])
    return str(obj.get("id", ""))


# ---- rendering ------------------------------------------------------------------------------------


def _inline(value: Any) -> str:
    if isinstance(value, Ref):
        return f"{value.var}.id"
    if isinstance(value, Expr):
        return value.code
    if isinstance(value, Secret):
        call = "require_secret_object" if value.whole_object else "require_secret"
        return f"config.{call}({json.dumps(value.key)})"
    if isinstance(value, str):
        return json.dumps(value)
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return json.dumps(value)


def _expr(value: Any, indent: int, lead: int) -> str:
    """`value` as Python, on one line when it fits after `lead` characters, else expanded."""
    text = _inline(value)
    pad = " " * (indent + 4)
    if indent + lead + len(text) + 1 > LINE and isinstance(value, Secret):
        return text.replace("(", f"(\n{pad}", 1)[:-1] + "\n" + " " * indent + ")"
    if indent + lead + len(text) + 1 <= LINE or not isinstance(value, (Mapping, list, tuple)) or not value:
        return text
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            key = f"{json.dumps(str(k))}: "
            items.append(f"{pad}{key}{_expr(v, indent + 4, len(key))},\n")
        return "{\n" + "".join(items) + " " * indent + "}"
    return "[\n" + "".join(f"{pad}{_expr(v, indent + 4, 0)},\n" for v in value) + " " * indent + "]"


def _statement(decl: Declaration, connection: str | None) -> str:
    lines = [f"# {line}" if line else "#" for line in decl.comment.splitlines()]
    lines.append(f"{decl.var} = retool.{decl.kind}(")
    lines.append(f"    {json.dumps(decl.resource_name)},")
    for key, value in decl.args.items():
        lines.append(f"    {key}={_expr(value, 4, len(key) + 1)},")
    if decl.adopt_id is not None:
        lines.append(f"    adopt_id={json.dumps(decl.adopt_id)},")
    if connection:
        lines.append("    connection=CONNECTION,")
    if decl.depends_on:
        deps = ", ".join(decl.depends_on)
        lines.append(f"    opts=pulumi.ResourceOptions(depends_on=[{deps}]),")
    lines.append(")")
    return "\n".join(lines)


# ---- the exporter ---------------------------------------------------------------------------------


def _accepts(kind: str, arg: str) -> bool:
    from . import types

    cls = getattr(types, kind, None)
    return cls is not None and arg in inspect.signature(cls.__init__).parameters


def _required_args(kind: str) -> set[str]:
    from . import types

    cls = getattr(types, kind, None)
    if cls is None:
        return set()
    params = inspect.signature(cls.__init__).parameters.values()
    return {p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty}


def _is_text(spec: ResourceSpec, name: str) -> bool:
    """Whether an input is a string (else a secret read from config is a JSON object)."""
    annotation = spec.inputs.model_fields[name].annotation
    args = set(typing.get_args(annotation))
    return annotation is str or (bool(args) and args <= {str, type(None)})


class _Exporter:
    def __init__(self, client: RetoolClient, connection: str | None) -> None:
        self.client = client
        self.connection = connection
        self.specs = {s.kind: s for s in all_specs()}
        self.decls: list[Declaration] = []
        self.config: dict[str, ConfigKey] = {}
        self.notes: list[str] = []
        self.vars: set[str] = set(_RESERVED)
        self.system: dict[str, str] = {}  # variable -> lookup expression
        self.refs: dict[tuple[str, str], Ref | Expr] = {}  # (kind, id) -> how to refer to it
        self.labels: dict[tuple[str, str], str] = {}  # (kind, id) -> readable label
        self._lists: dict[str, list[dict[str, Any]]] = {}

    # -- plumbing --
    def listing(self, path: str) -> list[dict[str, Any]]:
        if path not in self._lists:
            try:
                self._lists[path] = [dict(o) for o in self.client.paginate(path)]
            except NotFoundError:
                self._lists[path] = []
        return self._lists[path]

    def name(self, kind: str, label: str) -> str:
        slug = _slug(label)
        base = f"{_snake(kind)}_{slug}" if slug else _snake(kind)
        var, n = base, 2
        while var in self.vars or keyword.iskeyword(var):
            var, n = f"{base}_{n}", n + 1
        self.vars.add(var)
        return var

    def lookup(self, kind: str, label: str, function: str, *args: str) -> Expr:
        """A system object's id, looked up once at the top of the program."""
        var = f"{_snake(kind)}_{_slug(label) or 'system'}_id"
        params = [json.dumps(a) for a in args]
        if self.connection:
            params.append("connection=CONNECTION")
        code = f'retool.{function}({", ".join(params)})["id"]'
        if self.system.get(var, code) != code:
            var = f"{var}_{len(self.system) + 1}"
        self.system[var] = code
        return Expr(var)

    def secret(self, key: str, description: str, whole_object: bool = False) -> Secret:
        base = key = _config_key(key)
        n = 2
        while key in self.config:
            key, n = f"{base}-{n}", n + 1
        self.config[key] = ConfigKey(key, description, whole_object)
        return Secret(key, whole_object)

    def scrub(self, value: Any, prefix: str, what: str, path: tuple[str, ...] = ()) -> Any:
        """`value` with every masked or credential leaf replaced by a config reference."""
        if isinstance(value, Mapping):
            return {k: self.scrub(v, prefix, what, (*path, str(k))) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v, prefix, what, (*path, str(i))) for i, v in enumerate(value)]
        leaf = path[-1] if path else ""
        credential = bool(_CREDENTIAL.search(leaf)) and not leaf.endswith("_url")
        if isinstance(value, str) and value and (value == MASK or credential):
            dotted = ".".join(path)
            return self.secret("-".join([prefix, *path]), f"{what}: `{dotted}`")
        return value

    def declare(
        self,
        kind: str,
        var: str,
        args: Mapping[str, Any],
        adopt_id: str | None,
        obj_id: str | None = None,
        label: str = "",
        comment: str = "",
        depends_on: Sequence[str] = (),
    ) -> None:
        required = _required_args(kind)
        clean = {k: v for k, v in args.items() if v is not None or k in required}
        if adopt_id is not None and not _accepts(kind, "adopt_id"):
            adopt_id = None
        self.decls.append(Declaration(kind, var, clean, adopt_id, comment, list(depends_on)))
        if obj_id is not None:
            self.refs[(kind, obj_id)] = Ref(var)
            self.labels[(kind, obj_id)] = label

    def simple(
        self,
        spec: ResourceSpec,
        obj: dict[str, Any],
        label: str,
        overrides: Mapping[str, Any] | None = None,
        comment: str = "",
        depends_on: Sequence[str] = (),
    ) -> str:
        """Declare `obj` from its inputs as Retool reports them (`overrides` replace some)."""
        var = self.name(spec.kind, label)
        inputs = spec.to_inputs(spec.unresolve(self.client, obj))
        overrides = overrides or {}
        args: dict[str, Any] = {}
        for f in spec.fields:
            args[f] = overrides[f] if f in overrides else inputs.get(f)
        what = f'{spec.kind} "{label}"' if label else spec.kind
        for f in spec.secret_fields:
            if f in overrides:
                continue
            value = args.get(f)
            if isinstance(value, str) and value:
                args[f] = self.secret(f"{var.replace('_', '-')}-{f}", f"{what}: `{f}`")
            elif isinstance(value, (Mapping, list)):
                args[f] = self.scrub(value, f"{var.replace('_', '-')}-{f}", f"{what} {f}")
            elif value is None and spec.inputs.model_fields[f].is_required():
                args[f] = self.secret(
                    f"{var.replace('_', '-')}-{f}",
                    f"{what}: `{f}` as JSON (Retool never returns it)",
                    whole_object=not _is_text(spec, f),
                )
        for f, info in spec.inputs.model_fields.items():
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            if default is not None and f not in overrides and args.get(f) == default:
                args[f] = None  # the engine fills the default: declared all the same
        adopt = None if spec.singleton else spec.object_id(obj)
        self.declare(spec.kind, var, args, adopt, adopt, label, comment, depends_on)
        return var

    # -- the run --
    def run(self) -> None:
        kinds = [k for k in ORDER if k in self.specs]
        kinds += sorted(k for k in self.specs if k not in ORDER)
        for kind in kinds:
            handler: Callable[[ResourceSpec], None] = getattr(self, f"export_{_snake(kind)}", self.generic)
            try:
                handler(self.specs[kind])
            except RetoolError as exc:
                self.notes.append(f"{kind}: not exported, Retool answered {exc}")

    def generic(self, spec: ResourceSpec) -> None:
        """A type without its own exporter: its list endpoint (or, for a singleton, its read)."""
        if spec.singleton:
            obj = spec.read_object(self.client, "", {})
            if obj is not None:
                self.simple(spec, obj, "")
            return
        try:
            objs = [dict(o) for o in spec.list_objects(self.client)]
            rows = [(_label_of(o), spec.object_id(o), o) for o in objs]
            required = [f for f, info in spec.inputs.model_fields.items() if info.is_required()]
            for _, _, o in rows:
                found = spec.to_inputs(spec.unresolve(self.client, o))
                missing = [f for f in required if f not in found and f not in spec.write_only]
                if missing:
                    raise KeyError(", ".join(missing))
        except (KeyError, TypeError, ValueError) as exc:
            self.notes.append(f"{spec.kind}: not exported, its objects cannot be enumerated ({exc})")
            return
        for label, _, obj in sorted(rows, key=lambda r: _order(r[0], r[1])):
            self.simple(spec, obj, label)

    # -- per type --
    def export_environment(self, spec: ResourceSpec) -> None:
        for env in sorted(self.listing(spec.collection), key=lambda e: _order(e["name"], e["id"])):
            self.labels[("Environment", env["id"])] = env["name"]
            if env.get("default"):
                self.refs[("Environment", env["id"])] = self.lookup(
                    "Environment", env["name"], "get_environment", env["name"]
                )
                self.notes.append(f'Environment "{env["name"]}": the default environment (referenced)')
                continue
            self.simple(spec, env, env["name"])

    def export_folder(self, spec: ResourceSpec) -> None:
        folders = {f["id"]: f for f in self.listing(spec.collection)}
        allowed = set(typing.get_args(spec.inputs.model_fields["folder_type"].annotation))

        def path(f: dict[str, Any]) -> tuple[str, ...]:
            names: list[str] = []
            seen: set[str] = set()
            while (
                f is not None and f["id"] not in seen and not (f["is_system_folder"] and f["name"] == "root")
            ):
                seen.add(f["id"])
                names.insert(0, f["name"])
                f = folders.get(f.get("parent_folder_id") or "")  # type: ignore[assignment]
            return tuple(names)

        system = 0
        for f in sorted(folders.values(), key=lambda f: (f["folder_type"], path(f), f["id"])):
            if f.get("is_system_folder"):
                system += 1
                label = f"{f['folder_type']} {'/'.join(path(f)) or 'root'}"
                if f["name"] == "root" and f.get("parent_folder_id") is None:
                    ref = self.lookup("Folder", label, "get_root_folder", f["folder_type"])
                else:
                    ref = self.lookup("Folder", label, "get_folder", f["name"], f["folder_type"])
                self.refs[("Folder", f["id"])] = ref
                self.labels[("Folder", f["id"])] = label
        if system:
            self.notes.append(f"{system} system folders (root, archive, drafts, ...): referenced")
        user = [f for f in folders.values() if not f.get("is_system_folder")]
        for f in sorted(user, key=lambda f: (path(f), f["folder_type"], f["id"])):
            label = "/".join(path(f))
            if f["folder_type"] not in allowed:
                self.notes.append(f'Folder "{label}": folder type {f["folder_type"]!r} cannot be declared')
                continue
            parent = spec.unresolve(self.client, f).get("parent_folder_id")
            parent_ref: Any = None if parent is None else self.refs.get(("Folder", parent), parent)
            self.simple(spec, f, label, {"parent_folder_id": parent_ref})

    def export_group(self, spec: ResourceSpec) -> None:
        for g in sorted(self.listing(spec.collection), key=lambda g: _order(g["name"], g["id"])):
            gid = str(g["id"])
            self.labels[("Group", gid)] = g["name"]
            if g["name"] in DEFAULT_GROUPS:
                self.refs[("Group", gid)] = self.lookup("Group", g["name"], "get_group", g["name"])
                continue
            self.simple(spec, g, g["name"])
        self.notes.append(f"Default groups ({', '.join(DEFAULT_GROUPS)}): referenced")

    def attribute_names(self) -> set[str]:
        if "UserAttributeValue" not in self.specs:
            return set()
        return {str(a["name"]) for a in self.listing("/user_attributes")}

    def export_user_attribute(self, spec: ResourceSpec) -> None:
        for a in sorted(self.listing(spec.collection), key=lambda a: _order(a["name"], a["id"])):
            var = self.simple(spec, a, a["name"])
            self.refs[("UserAttribute", str(a["name"]))] = Ref(var)

    def export_user(self, spec: ResourceSpec) -> None:
        attributes = self.attribute_names()
        for u in sorted(self.listing(spec.collection), key=lambda u: _order(u["email"].lower(), u["id"])):
            metadata = dict(u.get("metadata") or {})
            # Attribute values become UserAttributeValue resources, unless the user carries other
            # metadata too: then the whole metadata is declared here (never both).
            keep = bool(set(metadata) - attributes)
            self.simple(spec, u, u["email"], {"metadata": metadata if keep else None})

    def export_group_member(self, spec: ResourceSpec) -> None:
        users = {u["id"]: u for u in self.listing("/users")}
        for g in sorted(self.listing("/groups"), key=lambda g: _order(g["name"], g["id"])):
            if g["name"] == IMPLICIT_GROUP:
                continue
            gid = str(g["id"])
            members = sorted(g.get("members") or [], key=lambda m: _order(m.get("email", ""), m["id"]))
            for m in members:
                email = str(m.get("email") or users.get(m["id"], {}).get("email", m["id"]))
                var = self.name(spec.kind, f"{g['name']} {email}")
                args = {
                    "group_id": self.refs.get(("Group", gid), gid),
                    "user_id": self.refs.get(("User", m["id"]), m["id"]),
                    "is_group_admin": bool(m.get("is_group_admin", False)),
                }
                self.declare(spec.kind, var, args, f"{gid}/{m['id']}")
        self.notes.append(f'Memberships of "{IMPLICIT_GROUP}": implicit (every user is a member)')

    def export_user_attribute_value(self, spec: ResourceSpec) -> None:
        attributes = self.attribute_names()
        for u in sorted(self.listing("/users"), key=lambda u: _order(u["email"].lower(), u["id"])):
            metadata = dict(u.get("metadata") or {})
            if set(metadata) - attributes:
                continue  # declared as the user's metadata
            for name in sorted(metadata):
                value = metadata[name]
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value)
                var = self.name(spec.kind, f"{u['email']} {name}")
                attr = self.refs.get(("UserAttribute", name))
                args = {
                    "user_id": self.refs.get(("User", u["id"]), u["id"]),
                    "attribute_name": name,
                    "value": text,
                }
                deps = [attr.var] if isinstance(attr, Ref) else []
                self.declare(spec.kind, var, args, f"{u['id']}/{name}", depends_on=deps)

    def export_resource(self, spec: ResourceSpec) -> None:
        for r in sorted(self.listing(spec.collection), key=lambda r: _order(r["display_name"], r["id"])):
            self.simple(spec, r, r["display_name"])

    def export_resource_configuration(self, spec: ResourceSpec) -> None:
        rows = []
        for c in self.listing(spec.collection):
            inputs = spec.to_inputs(c)
            rid, eid = str(inputs["resource_id"]), str(inputs["environment_id"])
            label = f"{self.labels.get(('Resource', rid), rid)} {self.labels.get(('Environment', eid), eid)}"
            rows.append((label, str(c["id"]), c, rid, eid))
        for label, _, c, rid, eid in sorted(rows, key=lambda r: _order(r[0], r[1])):
            refs = {
                "resource_id": self.refs.get(("Resource", rid), rid),
                "environment_id": self.refs.get(("Environment", eid), eid),
            }
            self.simple(spec, c, label, refs)

    def export_configuration_variable(self, spec: ResourceSpec) -> None:
        for v in sorted(self.listing(spec.collection), key=lambda v: _order(v["name"], v["id"])):
            var = self.name(spec.kind, v["name"])
            prefix = var.replace("_", "-")
            what = f'ConfigurationVariable "{v["name"]}" (secret)'
            values = []
            rows = [(self.labels.get(("Environment", str(x["environment_id"])), ""), x) for x in v["values"]]
            for env_label, x in sorted(rows, key=lambda r: _order(r[0], str(r[1]["environment_id"]))):
                eid = str(x["environment_id"])
                value: Any = x.get("value")
                if v.get("secret"):
                    value = self.secret(
                        f"{prefix}-{env_label or eid}", f"{what}: value in {env_label or eid}"
                    )
                values.append({"environment_id": self.refs.get(("Environment", eid), eid), "value": value})
            default = v.get("default_value")
            if v.get("secret") and default is not None:
                default = self.secret(f"{prefix}-default", f"{what}: default value")
            args = {
                "name": v["name"],
                "secret": bool(v.get("secret")),
                "values": values,
                "description": v.get("description"),
                "default_value": default,
            }
            self.declare(spec.kind, var, args, str(v["id"]), str(v["id"]), v["name"])

    def object_ref(self, object_type: str, object_id: str) -> tuple[Any, str]:
        """How to refer to a permission's or role grant's object, and a label for it."""
        kind = {
            "folder": "Folder",
            "resource": "Resource",
            "resource_configuration": "ResourceConfiguration",
        }.get(object_type)
        if kind is not None:
            label = self.labels.get((kind, object_id), object_id)
            return self.refs.get((kind, object_id), object_id), label
        if object_type == "app":
            apps = {str(a["id"]): a for a in self.listing("/apps")}
            return object_id, str(apps.get(object_id, {}).get("name", object_id))
        return object_id, object_id

    def subject_ref(self, subject_type: str, subject_id: str) -> tuple[Any, str]:
        kind = "Group" if subject_type == "group" else "User"
        label = self.labels.get((kind, subject_id), subject_id)
        return self.refs.get((kind, subject_id), subject_id), label

    def export_permission(self, spec: ResourceSpec) -> None:
        subjects = [("group", str(g["id"])) for g in self.listing("/groups")]
        subjects += [("user", str(u["id"])) for u in self.listing("/users")]
        for u in self.listing("/users"):
            self.labels.setdefault(("User", str(u["id"])), u["email"])
        rows = []
        for subject_type, subject_id in subjects:
            subject = {"type": subject_type, "id": int(subject_id) if subject_type == "group" else subject_id}
            for object_type in PERMISSION_OBJECT_TYPES:
                body = {"subject": subject, "object_type": object_type}
                grants = self.client.post("/permissions/listObjects", json=body, retry_safe=True) or []
                for grant in grants:
                    object_id = str(grant["id"])
                    sref, slabel = self.subject_ref(subject_type, subject_id)
                    oref, olabel = self.object_ref(object_type, object_id)
                    label = f"{subject_type} {slabel} {object_type} {olabel}"
                    adopt = f"{subject_type}/{subject_id}/{object_type}/{object_id}"
                    args = {
                        "subject_type": subject_type,
                        "subject_id": sref,
                        "object_type": object_type,
                        "object_id": oref,
                        "access_level": grant["access_level"],
                    }
                    comment = f'app "{olabel}"' if object_type == "app" else ""
                    rows.append((label, adopt, args, comment))
        for label, adopt, args, comment in sorted(rows, key=lambda r: _order(r[0], r[1])):
            self.declare(spec.kind, self.name(spec.kind, label), args, adopt, comment=comment)

    def export_role(self, spec: ResourceSpec) -> None:
        system = 0
        for r in sorted(self.listing(spec.collection), key=lambda r: _order(r["name"], r["id"])):
            self.labels[("Role", str(r["id"]))] = r["name"]
            if r.get("is_default_role") or r.get("is_legacy_role"):
                system += 1
                continue
            self.simple(spec, r, r["name"])
        if system:
            self.notes.append(f"{system} default roles: referenced by id")

    def export_role_grant(self, spec: ResourceSpec) -> None:
        rows = []
        for g in self.listing(spec.collection):
            rid, st, sid = str(g["role_id"]), str(g["subject_type"]), str(g["subject_id"])
            sref, slabel = self.subject_ref(st, sid)
            overrides: dict[str, Any] = {
                "role_id": self.refs.get(("Role", rid), rid),
                "subject_id": sref,
            }
            label = f"{self.labels.get(('Role', rid), rid)} {st} {slabel}"
            if g.get("object_type") and g.get("object_id"):
                oref, olabel = self.object_ref(str(g["object_type"]), str(g["object_id"]))
                overrides["object_id"] = oref
                label += f" {g['object_type']} {olabel}"
            rows.append((label, str(g["id"]), g, overrides))
        for label, _, g, overrides in sorted(rows, key=lambda r: _order(r[0], r[1])):
            self.simple(spec, g, label, overrides)

    def export_user_invite(self, spec: ResourceSpec) -> None:
        invites = [
            i for i in self.listing(spec.collection) if not i.get("claimed_by") and not i.get("claimed_at")
        ]
        for i in sorted(invites, key=lambda i: _order(str(i.get("invited_email")), str(i["id"]))):
            inputs = spec.to_inputs(i)
            groups = [str(g) for g in inputs.get("default_group_ids") or []]
            overrides = {
                "default_group_ids": [self.refs.get(("Group", g), int(g)) for g in groups] or None,
                "metadata": inputs.get("metadata") or None,
            }
            self.simple(spec, i, str(inputs["email"]), overrides)
        self.notes.append("Claimed user invites: not declared (the user exists)")

    def export_custom_component_library(self, spec: ResourceSpec) -> None:
        try:
            libraries = self.listing(spec.collection)
        except RetoolError:
            self.notes.append(
                "CustomComponentLibrary: not exported, Retool's list endpoint needs a library id "
                "(declare libraries by hand with adopt_id=<library UUID>)"
            )
            return
        for lib in sorted(libraries, key=lambda x: _order(str(x["name"]), str(x["id"]))):
            self.simple(spec, lib, str(lib["name"]))

    def export_observability_config(self, spec: ResourceSpec) -> None:
        for c in sorted(
            self.listing(spec.collection), key=lambda c: _order(str(c["config"].get("provider")), c["id"])
        ):
            self.simple(spec, c, str(c["config"].get("provider", "")))

    def singleton(self, spec: ResourceSpec, what: str) -> None:
        try:
            obj = spec.read_object(self.client, "", {})
        except NotFoundError:
            obj = None
        if obj is None:
            self.notes.append(f"{spec.kind}: {what} is not configured")
            return
        self.simple(spec, obj, "")

    def export_sso_config(self, spec: ResourceSpec) -> None:
        self.singleton(spec, "SSO")

    def export_source_control(self, spec: ResourceSpec) -> None:
        self.singleton(spec, "source control")


def export_program(
    client: RetoolClient,
    *,
    connection: str | None = None,
    project_name: str = "retool-org",
) -> ExportedProgram:
    """Read the organisation behind `client` and return the program that adopts it."""
    exporter = _Exporter(client, connection)
    exporter.run()
    body = "\n\n".join(_statement(d, connection) for d in exporter.decls)
    used = [v for v in exporter.system if re.search(rf"\b{re.escape(v)}\b", body)]
    host = getattr(client, "base_url", "")
    header = [
        f'"""Retool organisation exported by retool-pulumi-export{f" from {host}" if host else ""}.',
        "",
        "Every object carries adopt_id: the first `pulumi up` adopts it instead of creating a new one.",
    ]
    if exporter.config:
        header += ["Secrets are read from stack config; set them first (see README.md):", ""]
        header += [f"    {c.command}" for c in exporter.config.values()]
    header += ['"""', "", "import pulumi", "", "import retool_pulumi as retool", ""]
    if exporter.config:
        header += ["config = pulumi.Config()"]
    if connection:
        header += [f"CONNECTION = {json.dumps(connection)}"]
    parts = ["\n".join(header).rstrip() + "\n"]
    if used:
        lines = ["# System objects: referenced, never declared."]
        lines += [f"{v} = {exporter.system[v]}" for v in used]
        parts.append("\n".join(lines) + "\n")
    if exporter.notes:
        parts.append("\n".join(["# Not declared:", *[f"# - {n}" for n in exporter.notes]]) + "\n")
    if body:
        parts.append(body + "\n")
    code = "\n\n".join(parts)
    return ExportedProgram(
        code=code,
        config=list(exporter.config.values()),
        declarations=exporter.decls,
        notes=exporter.notes,
        project_name=project_name,
        host=host,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="retool-pulumi-export",
        description="Write a Pulumi Python program declaring (and adopting) a live Retool organisation.",
    )
    parser.add_argument("--output", "-o", help="project directory to write (default: print the program)")
    parser.add_argument(
        "--connection", help="a named connection (stack config retool:connections / RETOOL_CONNECTIONS)"
    )
    parser.add_argument(
        "--project-name", default="retool-org", help="the Pulumi project name (default: retool-org)"
    )
    args = parser.parse_args(argv)
    from .connection import get_client

    try:
        client = get_client(args.connection)
        program = export_program(client, connection=args.connection, project_name=args.project_name)
    except RetoolError as exc:
        print(f"retool-pulumi-export: {exc}", file=sys.stderr)
        return 1
    if not args.output:
        sys.stdout.write(program.code)
        return 0
    for path in program.write(args.output):
        print(f"wrote {path}")
    print(f"{len(program.declarations)} objects declared; {len(program.config)} secrets to set:")
    for key in program.config:
        print(f"  {key.command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
