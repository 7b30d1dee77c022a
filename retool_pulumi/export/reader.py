"""Reading a live organisation into declarations: one per object the program can adopt, a note
for everything it cannot (with the reason), never a crash of the whole export for one object
of an unexpected shape.

- Every declaration passes the provider's own `check` (see `builder`): what check would reject
  (a resource type POST /resources does not take, a user without names, text Pulumi cannot
  carry) is a note instead, and what refers to it refers to it by id.
- Secrets are never written: values Retool masks, credentials it returns in plain text (by key,
  or as the value of a credential header or parameter) and values it never returns (a
  resource's `options`) become config references.
- System objects are referenced, not declared; references between exported objects go through
  their variables. Variables are fresh identifiers derived from names, deduplicated with a
  numeric suffix; the order is deterministic (by name, then id).
- The caller (the owner of the access token used, else every active admin), their admin
  memberships and token, and SSO are marked protected.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..client import RetoolClient
from ..engine import all_specs
from ..engine.spec import ResourceSpec
from ..engine.values import MASK
from ..errors import (
    AuthenticationError,
    NotFoundError,
    RetoolConnectionError,
    RetoolError,
    RetoolTimeoutError,
)
from .builder import ProgramBuilder, is_text, label_order, quoted, snake
from .program import Ref

DEFAULT_GROUPS = ("admin", "editor", "viewer", "All Users")
ADMIN_GROUP = "admin"
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
# Keys of options/config objects, and names of headers or parameters (`[name, value]` pairs),
# that hold credentials: exported as config references even when Retool returns them as is.
_CREDENTIAL = re.compile(
    r"password|passwd|secret|token|private_?key|api[-_]?key|access[-_]?key|^dsn$|credential"
    r"|authorization|cookie|session",
    re.IGNORECASE,
)
# What an object of an unexpected shape raises while it is read.
_SHAPE_ERRORS = (LookupError, TypeError, ValueError, AttributeError)
# Errors after which nothing else can be read either: the export fails instead of noting them.
_FATAL = (AuthenticationError, RetoolConnectionError, RetoolTimeoutError)


# ---- helpers ------------------------------------------------------------------------------------


def _text(obj: Mapping[str, Any], key: str) -> str:
    """`obj[key]`, which must be text."""
    value = obj[key]
    if not isinstance(value, str):
        raise TypeError(f"{key} is {type(value).__name__}, not text")
    return value


def _label_of(obj: Mapping[str, Any]) -> str:
    for key in ("name", "display_name", "label", "email", "invited_email", "title"):
        if isinstance(obj.get(key), str) and obj[key]:
            return str(obj[key])
    return str(obj.get("id", "?"))


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"it has no {exc.args[0]!r}" if exc.args else "a key is missing"
    return f"{type(exc).__name__}: {exc}"


def _same_number(a: Any, b: Any) -> bool:
    try:
        return a is not None and b is not None and float(a) == float(b)
    except (TypeError, ValueError):
        return False


# ---- the exporter ---------------------------------------------------------------------------------


class Exporter(ProgramBuilder):
    """Reads the organisation behind `client` (`run`) into `decls`, `notes`, `system` lookups
    and the secrets the declarations read from config."""

    def __init__(
        self, client: RetoolClient, connection: str | None, access_token_last4: str | None = None
    ) -> None:
        super().__init__(connection)
        self.client = client
        self.access_token_last4 = access_token_last4 or None
        self.specs = {s.kind: s for s in all_specs()}
        self._lists: dict[str, list[dict[str, Any]]] = {}
        self._callers: tuple[set[str], str] | None = None

    # -- plumbing --
    @contextmanager
    def guard(self, what: str) -> Iterator[None]:
        """Turn an unexpected shape met while exporting `what` into a note."""
        try:
            yield
        except _SHAPE_ERRORS as exc:
            self.note(f"{what}: not exported, unexpected shape from Retool ({_why(exc)})")

    def listing(self, path: str) -> list[dict[str, Any]]:
        """Every item of a list endpoint that is an object (the others are noted)."""
        if path not in self._lists:
            try:
                items = list(self.client.paginate(path))
            except NotFoundError:
                items = []
            objects = [dict(i) for i in items if isinstance(i, Mapping)]
            if len(objects) != len(items):
                self.note(f"{path}: {len(items) - len(objects)} items that are not objects: not exported")
            self._lists[path] = objects
        return self._lists[path]

    def objects(self, path: str, kind: str, label: Callable[[dict[str, Any]], str] = _label_of) -> list[Any]:
        """The objects of a listing that have an id, as (label, object) sorted by label then id."""
        rows = []
        for obj in self.listing(path):
            if obj.get("id") is None:
                self.note(
                    f"{kind} {quoted(_label_of(obj))}: not exported, unexpected shape from Retool (no id)"
                )
                continue
            with self.guard(f"{kind} {quoted(obj['id'])}"):
                rows.append((label(obj), obj))
        return sorted(rows, key=lambda r: label_order(r[0], r[1]["id"]))

    def scrub(self, value: Any, prefix: str, what: str, path: tuple[str, ...] = ()) -> Any:
        """`value` with every masked or credential leaf replaced by a config reference: by key
        (`password`, `api_key`, ...) or, in `[name, value]` pairs (headers, URL parameters), by
        name (`Authorization`, `X-Api-Key`, ...)."""
        if isinstance(value, Mapping):
            return {k: self.scrub(v, prefix, what, (*path, str(k))) for k, v in value.items()}
        if isinstance(value, list):
            pair = len(value) == 2 and all(isinstance(v, str) for v in value)
            if pair and _CREDENTIAL.search(value[0]) and value[1]:
                return [value[0], self._leaf(value[1], prefix, what, (*path, "1"), credential=True)]
            return [self.scrub(v, prefix, what, (*path, str(i))) for i, v in enumerate(value)]
        return self._leaf(value, prefix, what, path)

    def _leaf(
        self, value: Any, prefix: str, what: str, path: tuple[str, ...], credential: bool = False
    ) -> Any:
        leaf = path[-1] if path else ""
        credential = credential or (bool(_CREDENTIAL.search(leaf)) and not leaf.endswith("_url"))
        if isinstance(value, str) and value and (value == MASK or credential):
            dotted = ".".join(path)
            return self.secret("-".join([prefix, *path]), f"{what}: `{dotted}`")
        return value

    def simple(
        self,
        spec: ResourceSpec,
        obj: dict[str, Any],
        label: str,
        overrides: Mapping[str, Any] | None = None,
        comment: str = "",
        protect: str = "",
    ) -> str | None:
        """Declare `obj` from its inputs as Retool reports them (`overrides` replace some).
        Returns its variable, or None when it was not declared."""
        inputs = spec.to_inputs(spec.unresolve(self.client, obj))
        var = self.name(spec.kind, label)
        overrides = overrides or {}
        args: dict[str, Any] = {}
        for f in spec.fields:
            args[f] = overrides[f] if f in overrides else inputs.get(f)
        what = f"{spec.kind} {quoted(label)}" if label else spec.kind
        prefix = var.replace("_", "-")
        for f in spec.secret_fields:
            if f in overrides:
                continue
            value = args.get(f)
            if isinstance(value, str) and value:
                args[f] = self.secret(f"{prefix}-{f}", f"{what}: `{f}`")
            elif isinstance(value, (Mapping, list)):
                args[f] = self.scrub(value, f"{prefix}-{f}", f"{what} {f}")
            elif value is None and spec.inputs.model_fields[f].is_required():
                args[f] = self.secret(
                    f"{prefix}-{f}",
                    f"{what}: `{f}` as JSON (Retool never returns it)",
                    whole_object=not is_text(spec, f),
                )
        for f, info in spec.inputs.model_fields.items():
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            if default is not None and f not in overrides and args.get(f) == default:
                args[f] = None  # the engine fills the default: declared all the same
        adopt = None if spec.singleton else spec.object_id(obj)
        if not self.declare(spec.kind, var, args, adopt, adopt, label, comment, protect):
            return None
        return var

    # -- who runs the export --
    def callers(self) -> tuple[set[str], str]:
        """The ids of the users the export's access token belongs to (its owner, found by the
        token's last four characters among the organisation's tokens), else of every active
        admin; and what they have in common ("owns the access token ...")."""
        if self._callers is None:
            users = [u for u in self.listing("/users") if u.get("id") is not None]
            owners: set[str] = set()
            if self.access_token_last4:
                try:
                    tokens = self.listing("/access_tokens")
                except RetoolError:
                    tokens = []  # e.g. a token without access_tokens:read
                legacy = [
                    t.get("owner_legacy_id") for t in tokens if t.get("last4") == self.access_token_last4
                ]
                owners = {
                    str(u["id"]) for u in users if any(_same_number(u.get("legacy_id"), x) for x in legacy)
                }
            if owners:
                self._callers = owners, "owns the access token the export ran with"
            else:
                admins = {str(u["id"]) for u in users if u.get("is_admin") and u.get("active", True)}
                self._callers = (
                    admins,
                    "is an active admin (the export could not tell whose access token it ran with)",
                )
        return self._callers

    # -- the run --
    def run(self) -> None:
        kinds = [k for k in ORDER if k in self.specs]
        kinds += sorted(k for k in self.specs if k not in ORDER)
        for kind in kinds:
            handler: Callable[[ResourceSpec], None] = getattr(self, f"export_{snake(kind)}", self.generic)
            try:
                handler(self.specs[kind])
            except _FATAL:
                raise
            except RetoolError as exc:
                self.note(f"{kind}: not exported, Retool answered: {exc}")
            except Exception as exc:  # one type's surprise must not lose the rest of the export
                self.note(f"{kind}: not exported, unexpected answer from Retool ({_why(exc)})")
        self.drop_unused_config()

    def generic(self, spec: ResourceSpec) -> None:
        """A type without its own exporter: its list endpoint (or, for a singleton, its read)."""
        if spec.singleton:
            self.singleton(spec, spec.kind)
            return
        objs = [dict(o) for o in spec.list_objects(self.client) if isinstance(o, Mapping)]
        required = [f for f, info in spec.inputs.model_fields.items() if info.is_required()]
        rows, odd = [], []
        for o in objs:
            try:
                found = spec.to_inputs(spec.unresolve(self.client, o))
                missing = [f for f in required if f not in found and f not in spec.write_only]
                object_id = spec.object_id(o)
            except _SHAPE_ERRORS as exc:
                odd.append((o, _why(exc)))
                continue
            if missing:
                odd.append((o, f"it has no {', '.join(missing)}"))
            else:
                rows.append((_label_of(o), object_id, o))
        if objs and not rows:
            why = odd[0][1] if odd else "?"
            self.note(f"{spec.kind}: not exported, its objects cannot be enumerated ({why})")
            return
        for o, why in odd:
            self.note(
                f"{spec.kind} {quoted(_label_of(o))}: not exported, unexpected shape from Retool ({why})"
            )
        for label, _, obj in sorted(rows, key=lambda r: label_order(r[0], r[1])):
            with self.guard(f"{spec.kind} {quoted(label)}"):
                self.simple(spec, obj, label, protect=self.token_protection(spec.kind, obj))

    def token_protection(self, kind: str, obj: Mapping[str, Any]) -> str:
        """Why an access token is protected: it is the one the export ran with."""
        if kind != "AccessToken" or not self.access_token_last4:
            return ""
        callers, _ = self.callers()
        owners = {
            str(u["id"])
            for u in self.listing("/users")
            if u.get("id") is not None and _same_number(u.get("legacy_id"), obj.get("owner_legacy_id"))
        }
        if obj.get("last4") == self.access_token_last4 and owners & callers:
            return "the access token the export ran with (revoking it locks this program out)"
        return ""

    # -- per type --
    def export_environment(self, spec: ResourceSpec) -> None:
        for label, env in self.objects(spec.collection, "Environment"):
            with self.guard(f"Environment {quoted(label)}"):
                eid, name = str(env["id"]), _text(env, "name")
                self.labels[("Environment", eid)] = name
                if env.get("default"):
                    self.refs[("Environment", eid)] = self.lookup(
                        "Environment", name, "get_environment", name
                    )
                    self.note(f"Environment {quoted(name)}: the default environment (referenced)")
                    continue
                self.simple(spec, env, name)

    def export_folder(self, spec: ResourceSpec) -> None:
        folders: dict[str, dict[str, Any]] = {}
        for f in self.listing(spec.collection):
            if f.get("id") is None:
                self.note(
                    f"Folder {quoted(_label_of(f))}: not exported, unexpected shape from Retool (no id)"
                )
            else:
                folders[str(f["id"])] = f
        allowed = set(typing.get_args(spec.inputs.model_fields["folder_type"].annotation))

        def is_root(f: Mapping[str, Any]) -> bool:
            return bool(f.get("is_system_folder")) and f.get("name") == "root"

        def path(f: dict[str, Any] | None) -> tuple[str, ...]:
            names: list[str] = []
            seen: set[str] = set()
            while f is not None and str(f["id"]) not in seen and not is_root(f):
                seen.add(str(f["id"]))
                names.insert(0, str(f.get("name")))
                f = folders.get(str(f.get("parent_folder_id")))
            return tuple(names)

        def key(f: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
            return (str(f.get("folder_type")), path(f), str(f["id"]))

        system = 0
        for f in sorted((f for f in folders.values() if f.get("is_system_folder")), key=key):
            with self.guard(f"Folder {quoted('/'.join(path(f)) or f['id'])}"):
                folder_type, name = _text(f, "folder_type"), _text(f, "name")
                label = f"{folder_type} {'/'.join(path(f)) or 'root'}"
                if name == "root" and f.get("parent_folder_id") is None:
                    ref = self.lookup("Folder", label, "get_root_folder", folder_type)
                else:
                    ref = self.lookup("Folder", label, "get_folder", name, folder_type)
                self.refs[("Folder", str(f["id"]))] = ref
                self.labels[("Folder", str(f["id"]))] = label
                system += 1
        if system:
            self.note(f"{system} system folders (root, archive, drafts, ...): referenced")
        user = [f for f in folders.values() if not f.get("is_system_folder")]
        for f in sorted(user, key=lambda f: (path(f), str(f.get("folder_type")), str(f["id"]))):
            label = "/".join(path(f))
            with self.guard(f"Folder {quoted(label)}"):
                folder_type = _text(f, "folder_type")
                if folder_type not in allowed:
                    self.note(
                        f"Folder {quoted(label)}: not declared, "
                        f"folder type {quoted(folder_type)} cannot be declared"
                    )
                    continue
                parent = spec.unresolve(self.client, f).get("parent_folder_id")
                parent_ref: Any = None if parent is None else self.refs.get(("Folder", str(parent)), parent)
                self.simple(spec, f, label, {"parent_folder_id": parent_ref})

    def export_group(self, spec: ResourceSpec) -> None:
        for label, g in self.objects(spec.collection, "Group"):
            with self.guard(f"Group {quoted(label)}"):
                gid, name = str(g["id"]), _text(g, "name")
                self.labels[("Group", gid)] = name
                if name in DEFAULT_GROUPS:
                    self.refs[("Group", gid)] = self.lookup("Group", name, "get_group", name)
                    continue
                self.simple(spec, g, name)
        self.note(f"Default groups ({', '.join(DEFAULT_GROUPS)}): referenced")

    def attribute_names(self) -> set[str]:
        if "UserAttributeValue" not in self.specs:
            return set()
        return {str(a.get("name")) for a in self.listing("/user_attributes")}

    def export_user_attribute(self, spec: ResourceSpec) -> None:
        for label, a in self.objects(spec.collection, "UserAttribute"):
            with self.guard(f"UserAttribute {quoted(label)}"):
                var = self.simple(spec, a, _text(a, "name"))
                if var is not None:
                    self.refs[("UserAttribute", str(a["name"]))] = Ref(var, "name")

    def export_user(self, spec: ResourceSpec) -> None:
        attributes = self.attribute_names()
        callers, who = self.callers()
        for label, u in self.objects(spec.collection, "User", _label_of):
            with self.guard(f"User {quoted(label)}"):
                email = _text(u, "email")
                self.labels[("User", str(u["id"]))] = email
                metadata = u.get("metadata") or {}
                if not isinstance(metadata, Mapping):
                    raise TypeError(f"metadata is {type(metadata).__name__}, not an object")
                # Attribute values become UserAttributeValue resources, unless the user carries
                # other metadata too: then the whole metadata is declared here (never both).
                keep = bool(set(metadata) - attributes)
                protect = f"this user {who}; destroying a user disables it" if str(u["id"]) in callers else ""
                self.simple(spec, u, email, {"metadata": dict(metadata) if keep else None}, protect=protect)

    def export_group_member(self, spec: ResourceSpec) -> None:
        users = {str(u.get("id")): u for u in self.listing("/users")}
        callers, who = self.callers()
        for label, g in self.objects("/groups", "Group"):
            with self.guard(f"Members of group {quoted(label)}"):
                name = _text(g, "name")
                if name == IMPLICIT_GROUP:
                    continue
                members = g.get("members") or []
                if not isinstance(members, list):
                    raise TypeError(f"members is {type(members).__name__}, not a list")
                for m in sorted(
                    members, key=lambda m: label_order(_label_of(m) if isinstance(m, Mapping) else m, "")
                ):
                    self.group_member(spec, g, m, users, callers, who)
        self.note(f"Memberships of {quoted(IMPLICIT_GROUP)}: implicit (every user is a member)")

    def group_member(
        self,
        spec: ResourceSpec,
        group: Mapping[str, Any],
        member: Any,
        users: Mapping[str, Any],
        callers: set[str],
        who: str,
    ) -> None:
        gid, group_name = str(group["id"]), str(group["name"])
        shown = _label_of(member) if isinstance(member, Mapping) else str(member)
        with self.guard(f"Membership of {quoted(shown)} in group {quoted(group_name)}"):
            uid = str(member["id"])
            email = str(member.get("email") or users.get(uid, {}).get("email") or uid)
            var = self.name(spec.kind, f"{group_name} {email}")
            args = {
                "group_id": self.refs.get(("Group", gid), gid),
                "user_id": self.refs.get(("User", uid), uid),
                "is_group_admin": bool(member.get("is_group_admin", False)),
            }
            protect = ""
            if group_name == ADMIN_GROUP and uid in callers:
                protect = f"admin membership of a user who {who}"
            self.declare(spec.kind, var, args, f"{gid}/{uid}", label=f"{group_name} {email}", protect=protect)

    def export_user_attribute_value(self, spec: ResourceSpec) -> None:
        attributes = self.attribute_names()
        for label, u in self.objects("/users", "User"):
            with self.guard(f"Attribute values of user {quoted(label)}"):
                metadata = u.get("metadata") or {}
                if not isinstance(metadata, Mapping):
                    raise TypeError(f"metadata is {type(metadata).__name__}, not an object")
                if set(metadata) - attributes:
                    continue  # declared as the user's metadata
                email = _text(u, "email")
                for name in sorted(metadata):
                    value = metadata[name]
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else json.dumps(value)
                    var = self.name(spec.kind, f"{email} {name}")
                    args = {
                        "user_id": self.refs.get(("User", str(u["id"])), str(u["id"])),
                        # Through the attribute's output: the value is set once the attribute exists.
                        "attribute_name": self.refs.get(("UserAttribute", name), name),
                        "value": text,
                    }
                    self.declare(spec.kind, var, args, f"{u['id']}/{name}", label=f"{email} {name}")

    def export_resource(self, spec: ResourceSpec) -> None:
        for label, r in self.objects(spec.collection, "Resource"):
            with self.guard(f"Resource {quoted(label)}"):
                self.simple(spec, r, _text(r, "display_name"))

    def export_resource_configuration(self, spec: ResourceSpec) -> None:
        rows = []
        for c in self.listing(spec.collection):
            with self.guard(f"ResourceConfiguration {quoted(c.get('id'))}"):
                inputs = spec.to_inputs(c)
                rid, eid = str(inputs["resource_id"]), str(inputs["environment_id"])
                label = (
                    f"{self.labels.get(('Resource', rid), rid)} {self.labels.get(('Environment', eid), eid)}"
                )
                rows.append((label, str(c["id"]), c, rid, eid))
        for label, _, c, rid, eid in sorted(rows, key=lambda r: label_order(r[0], r[1])):
            with self.guard(f"ResourceConfiguration {quoted(label)}"):
                refs = {
                    "resource_id": self.refs.get(("Resource", rid), rid),
                    "environment_id": self.refs.get(("Environment", eid), eid),
                }
                self.simple(spec, c, label, refs)

    def export_configuration_variable(self, spec: ResourceSpec) -> None:
        for label, v in self.objects(spec.collection, "ConfigurationVariable"):
            with self.guard(f"ConfigurationVariable {quoted(label)}"):
                self.configuration_variable(spec, v)

    def configuration_variable(self, spec: ResourceSpec, v: Mapping[str, Any]) -> None:
        name = _text(v, "name")
        if not isinstance(v["values"], list):
            raise TypeError(f"values is {type(v['values']).__name__}, not a list")
        var = self.name(spec.kind, name)
        prefix = var.replace("_", "-")
        what = f"ConfigurationVariable {quoted(name)} (secret)"
        values = []
        rows = [(self.labels.get(("Environment", str(x["environment_id"])), ""), x) for x in v["values"]]
        for env_label, x in sorted(rows, key=lambda r: label_order(r[0], str(r[1]["environment_id"]))):
            eid = str(x["environment_id"])
            value: Any = x.get("value")
            if v.get("secret"):
                shown = quoted(env_label) if env_label else eid
                value = self.secret(f"{prefix}-{env_label or eid}", f"{what}: value in {shown}")
            values.append({"environment_id": self.refs.get(("Environment", eid), eid), "value": value})
        default = v.get("default_value")
        if v.get("secret") and default is not None:
            default = self.secret(f"{prefix}-default", f"{what}: default value")
        args = {
            "name": name,
            "secret": bool(v.get("secret")),
            "values": values,
            "description": v.get("description"),
            "default_value": default,
        }
        self.declare(spec.kind, var, args, str(v["id"]), str(v["id"]), name)

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
            apps = {str(a.get("id")): a for a in self.listing("/apps")}
            return object_id, str(apps.get(object_id, {}).get("name", object_id))
        return object_id, object_id

    def subject_ref(self, subject_type: str, subject_id: str) -> tuple[Any, str]:
        kind = "Group" if subject_type == "group" else "User"
        label = self.labels.get((kind, subject_id), subject_id)
        return self.refs.get((kind, subject_id), subject_id), label

    def export_permission(self, spec: ResourceSpec) -> None:
        subjects = [("group", str(g["id"])) for g in self.listing("/groups") if g.get("id") is not None]
        subjects += [("user", str(u["id"])) for u in self.listing("/users") if u.get("id") is not None]
        for u in self.listing("/users"):
            if u.get("id") is not None:
                self.labels.setdefault(("User", str(u["id"])), str(u.get("email")))
        rows: list[tuple[str, str, dict[str, Any], str]] = []
        for subject_type, subject_id in subjects:
            sref, slabel = self.subject_ref(subject_type, subject_id)
            with self.guard(f"Permissions of {subject_type} {quoted(slabel)}"):
                subject_value: Any = int(subject_id) if subject_type == "group" else subject_id
                for object_type in PERMISSION_OBJECT_TYPES:
                    body = {
                        "subject": {"type": subject_type, "id": subject_value},
                        "object_type": object_type,
                    }
                    grants = self.client.post("/permissions/listObjects", json=body, retry_safe=True) or []
                    for grant in grants:
                        with self.guard(f"Permission of {subject_type} {quoted(slabel)} on {object_type}"):
                            rows.append(
                                self.permission_row(
                                    subject_type, subject_id, sref, slabel, object_type, grant
                                )
                            )
        for label, adopt, args, comment in sorted(rows, key=lambda r: label_order(r[0], r[1])):
            self.declare(spec.kind, self.name(spec.kind, label), args, adopt, label=label, comment=comment)

    def permission_row(
        self, subject_type: str, subject_id: str, sref: Any, slabel: str, object_type: str, grant: Any
    ) -> tuple[str, str, dict[str, Any], str]:
        object_id = str(grant["id"])
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
        comment = f"app {quoted(olabel)}" if object_type == "app" else ""
        return label, adopt, args, comment

    def export_role(self, spec: ResourceSpec) -> None:
        system = 0
        for label, r in self.objects(spec.collection, "Role"):
            with self.guard(f"Role {quoted(label)}"):
                name = _text(r, "name")
                self.labels[("Role", str(r["id"]))] = name
                if r.get("is_default_role") or r.get("is_legacy_role"):
                    system += 1
                    continue
                self.simple(spec, r, name)
        if system:
            self.note(f"{system} default roles: referenced by id")

    def export_role_grant(self, spec: ResourceSpec) -> None:
        rows = []
        for g in self.listing(spec.collection):
            with self.guard(f"RoleGrant {quoted(g.get('id', _label_of(g)))}"):
                gid = str(g["id"])
                rid, st, sid = str(g["role_id"]), str(g["subject_type"]), str(g["subject_id"])
                sref, slabel = self.subject_ref(st, sid)
                overrides: dict[str, Any] = {"role_id": self.refs.get(("Role", rid), rid), "subject_id": sref}
                label = f"{self.labels.get(('Role', rid), rid)} {st} {slabel}"
                if g.get("object_type") and g.get("object_id"):
                    oref, olabel = self.object_ref(str(g["object_type"]), str(g["object_id"]))
                    overrides["object_id"] = oref
                    label += f" {g['object_type']} {olabel}"
                rows.append((label, gid, g, overrides))
        for label, gid, g, overrides in sorted(rows, key=lambda r: label_order(r[0], r[1])):
            with self.guard(f"RoleGrant {quoted(gid)}"):
                self.simple(spec, g, label, overrides)

    def export_user_invite(self, spec: ResourceSpec) -> None:
        for label, i in self.objects(spec.collection, "UserInvite"):
            if i.get("claimed_by") or i.get("claimed_at"):
                continue
            with self.guard(f"UserInvite {quoted(label)}"):
                inputs = spec.to_inputs(i)
                groups = [str(g) for g in inputs.get("default_group_ids") or []]
                overrides = {
                    "default_group_ids": [self.refs.get(("Group", g), int(g)) for g in groups] or None,
                    "metadata": inputs.get("metadata") or None,
                }
                self.simple(spec, i, str(inputs["email"]), overrides)
        self.note("Claimed user invites: not declared (the user exists)")

    def export_custom_component_library(self, spec: ResourceSpec) -> None:
        try:
            libraries = self.objects(spec.collection, "CustomComponentLibrary")
        except RetoolError:
            self.note(
                "CustomComponentLibrary: not exported, Retool's list endpoint needs a library id "
                "(declare libraries by hand with adopt_id=<library UUID>)"
            )
            return
        for label, lib in libraries:
            with self.guard(f"CustomComponentLibrary {quoted(label)}"):
                self.simple(spec, lib, _text(lib, "name"))

    def export_observability_config(self, spec: ResourceSpec) -> None:
        def provider(c: dict[str, Any]) -> str:
            config = c.get("config")
            return str(config.get("provider", "")) if isinstance(config, Mapping) else ""

        for label, c in self.objects(spec.collection, "ObservabilityConfig", provider):
            with self.guard(f"ObservabilityConfig {quoted(label or c['id'])}"):
                self.simple(spec, c, label)

    def singleton(self, spec: ResourceSpec, what: str, protect: str = "") -> None:
        try:
            obj = spec.read_object(self.client, "", {})
        except NotFoundError:
            obj = None
        if obj is None:
            self.note(f"{spec.kind}: {what} is not configured")
            return
        with self.guard(spec.kind):
            self.simple(spec, obj, "", protect=protect)

    def export_sso_config(self, spec: ResourceSpec) -> None:
        self.singleton(spec, "SSO", protect="deleting it can lock every user out of the organisation")

    def export_source_control(self, spec: ResourceSpec) -> None:
        self.singleton(spec, "source control")
