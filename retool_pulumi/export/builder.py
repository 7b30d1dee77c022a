"""Building a program's declarations, whatever they are read from (a live organisation by
`reader.Exporter`, a Terraform state by `retool_pulumi.terraform`): fresh variable names, system
object lookups, secrets as config references, notes, and the provider's own check of every
declaration before it is kept.

- Every declaration passes the provider's `check` (references and secrets count as unknown, as
  at preview): what check would reject becomes a note instead, and what refers to it refers to
  it by id (`refs` only holds declared objects).
- Variables are fresh identifiers derived from names, deduplicated with a numeric suffix.
- Text from the source reaches the program only through `text` (see `program.literal`).
"""

from __future__ import annotations

import builtins
import inspect
import keyword
import re
import typing
import unicodedata
from collections.abc import Mapping
from typing import Any

from ..engine import RetoolProvider
from ..engine.spec import ResourceSpec
from ..engine.values import UNKNOWN
from .program import ADOPTED, PROTECTED, ConfigKey, Declaration, Expr, Lookup, Ref, Secret, secrets_in
from .text import python_string

__all__ = ["ProgramBuilder", "config_key", "label_order", "quoted", "slug", "snake"]

# Names the program defines besides the declarations' variables.
RESERVED = {"pulumi", "retool", "config", "CONNECTION", ADOPTED, PROTECTED}
_SLUG_LENGTH = 60


def snake(kind: str) -> str:
    """`ResourceConfiguration` -> `resource_configuration`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind).lower()


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and underscores (accents dropped: "Café" -> "cafe")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return out[:_SLUG_LENGTH].rstrip("_")


def config_key(text: str) -> str:
    """A stack config key: letters, digits and hyphens."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "secret"


def label_order(label: Any, id_: Any) -> tuple[str, str, str]:
    """Sort key: by label ignoring case, then exactly, then by id."""
    text = str(label)
    return (text.casefold(), text, str(id_))


def quoted(text: Any) -> str:
    """A name quoted for a note: exact, one line, unambiguous."""
    return python_string(str(text))


def unknowns(value: Any) -> Any:
    """A declaration's value as check sees it at preview: references and secrets are unknown."""
    if isinstance(value, (Ref, Expr, Secret)):
        return UNKNOWN
    if isinstance(value, Mapping):
        return {k: unknowns(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [unknowns(v) for v in value]
    return value


def unsendable(value: Any) -> bool:
    """Whether `value` holds text Pulumi cannot carry (not valid Unicode: a lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, Mapping):
        return any(unsendable(k) or unsendable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(unsendable(v) for v in value)
    return False


def _resource_class(kind: str) -> Any:
    from .. import types

    return getattr(types, kind, None)


def accepts(kind: str, arg: str) -> bool:
    """Whether the resource class of `kind` takes the keyword argument `arg`."""
    cls = _resource_class(kind)
    return cls is not None and arg in inspect.signature(cls.__init__).parameters


def required_args(kind: str) -> set[str]:
    """The keyword arguments the resource class of `kind` requires."""
    cls = _resource_class(kind)
    if cls is None:
        return set()
    params = inspect.signature(cls.__init__).parameters.values()
    return {p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty}


def is_text(spec: ResourceSpec, name: str) -> bool:
    """Whether an input is a string (else a secret read from config is a JSON object)."""
    annotation = spec.inputs.model_fields[name].annotation
    args = set(typing.get_args(annotation))
    return annotation is str or (bool(args) and args <= {str, type(None)})


class ProgramBuilder:
    """The declarations of a program being built, with the notes, secrets and system lookups
    they need. `connection` names the connection the program uses (None: the default one)."""

    def __init__(self, connection: str | None) -> None:
        self.connection = connection
        self.decls: list[Declaration] = []
        self.config: dict[str, ConfigKey] = {}
        self.notes: list[str] = []
        self.protected: list[str] = []  # why each protected declaration is protected
        self.names: set[str] = set(RESERVED)  # every variable of the program
        self.system: dict[str, Lookup] = {}  # variable -> how the program looks it up
        self.refs: dict[tuple[str, str], Ref | Expr] = {}  # (kind, id) -> how to refer to it
        self.labels: dict[tuple[str, str], str] = {}  # (kind, id) -> readable label

    def note(self, text: str) -> None:
        """Say what was not declared and why (once)."""
        if text not in self.notes:
            self.notes.append(text)

    def unique(self, base: str) -> str:
        """A fresh variable name: `base`, else `base_2`, `base_3`, ..."""
        var, n = base, 2
        while (
            var in self.names
            or keyword.iskeyword(var)
            or keyword.issoftkeyword(var)
            or hasattr(builtins, var)
            or not var.isidentifier()
        ):
            var, n = f"{base}_{n}", n + 1
        self.names.add(var)
        return var

    def name(self, kind: str, label: str) -> str:
        """A fresh variable for an object of `kind` called `label`: `folder_reports`."""
        base = slug(label)
        return self.unique(f"{snake(kind)}_{base}" if base else snake(kind))

    def lookup(self, kind: str, label: str, function: str, *args: str) -> Expr:
        """A system object's id, looked up once at the top of the program."""
        params = [python_string(a) for a in args]
        if self.connection is not None:
            params.append("connection=CONNECTION")
        found = Lookup(function, tuple(params))
        for var, known in self.system.items():
            if known == found:
                return Expr(var)
        var = self.unique(f"{snake(kind)}_{slug(label) or 'system'}_id")
        self.system[var] = found
        return Expr(var)

    def secret(self, key: str, description: str, whole_object: bool = False) -> Secret:
        """A new config key (made unique) the program reads as a secret."""
        base = key = config_key(key)
        n = 2
        while key in self.config:
            key, n = f"{base}-{n}", n + 1
        self.config[key] = ConfigKey(key, description, whole_object)
        return Secret(key, whole_object)

    def problems(self, kind: str, args: Mapping[str, Any], adopt_id: str | None) -> list[str]:
        """Why the provider's check would reject the declaration (nothing when it passes)."""
        if unsendable(args) or unsendable(adopt_id):
            return ["it holds text that is not valid Unicode (a lone surrogate), which Pulumi cannot carry"]
        props = {k: unknowns(v) for k, v in args.items() if v is not None}
        if adopt_id is not None:
            props["adopt_id"] = adopt_id
        result = RetoolProvider(kind).check({}, props)
        return [str(f.reason) for f in result.failures or []]

    def declare(
        self,
        kind: str,
        var: str,
        args: Mapping[str, Any],
        adopt_id: str | None,
        obj_id: str | None = None,
        label: str = "",
        comment: str = "",
        protect: str = "",
        name: str = "",
    ) -> bool:
        """Declare an object, unless check would reject it (then say so in a note). `protect`
        says why the object is protected (empty: it is not); `name` is its Pulumi resource name
        (empty: derived from `var`)."""
        required = required_args(kind)
        clean = {k: v for k, v in args.items() if v is not None or k in required}
        if adopt_id is not None and not accepts(kind, "adopt_id"):
            adopt_id = None
        problems = self.problems(kind, clean, adopt_id)
        what = f"{kind} {quoted(label)}" if label else kind
        if problems:
            if adopt_id and adopt_id != label:
                what += f" (id {quoted(adopt_id)})"
            self.note(f"{what}: not declared, the provider's check would reject it: {'; '.join(problems)}")
            return False
        self.decls.append(Declaration(kind, var, clean, adopt_id, comment, bool(protect), name))
        if protect:
            self.protected.append(f"{what}: {protect}")
        if obj_id is not None:
            self.refs[(kind, obj_id)] = Ref(var)
            self.labels[(kind, obj_id)] = label
        return True

    def drop_unused_config(self) -> None:
        """Keep the config keys the declarations read (a noted object may have asked for one)."""
        used = {s.key for d in self.decls for v in d.args.values() for s in secrets_in(v)}
        self.config = {k: c for k, c in self.config.items() if k in used}
