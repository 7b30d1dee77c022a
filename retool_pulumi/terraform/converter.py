"""Converting the `retool_*` resources of a Terraform state into declarations (the exporter's
declaration model, built with its `ProgramBuilder`): one per resource instance (a
`retool_permissions` instance becomes one `Permission` per grant), named after the Terraform
resource (with its module, and its `count` index or `for_each` key), adopting the object by its
id, with the values the state holds.

- References are rebuilt: an id in an attribute that is the id of an object converted from the
  same state becomes that object's output (`group_analysts.id`); other ids stay as they are.
- Secrets (what the provider's schema or the state marks sensitive) become config references;
  the state's values are kept in memory only (`values`), for `--secret KEY` to print them.
- Every attribute that is neither declared, nor the adopted id, nor read back by Pulumi as an
  output of the type is listed (`unexpressed`), never silently dropped.
- Data sources and resources of other providers are noted and left out.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..engine import spec_for
from ..engine.spec import ResourceSpec
from ..engine.values import MASK
from ..export.builder import ProgramBuilder, quoted, snake
from ..export.program import Secret
from .schema import KINDS, NOT_CARRIED, sensitive_path
from .state import Instance, Path_

__all__ = ["TerraformConverter"]

_SSO_TYPES: dict[tuple[bool, ...], str] = {
    (True, False, False): "google",
    (False, True, False): "oidc",
    (False, False, True): "saml",
    (True, True, False): "google & oidc",
    (True, False, True): "google & saml",
}
_SOURCE_CONTROL = {
    "github": "GitHub",
    "gitlab": "GitLab",
    "aws_codecommit": "AWS CodeCommit",
    "bitbucket": "Bitbucket",
    "azure_repos": "Azure Repos",
}
# The objects a permission can be granted on that are also Terraform resources.
_OBJECT_KINDS = {
    "folder": "Folder",
    "resource": "Resource",
    "resource_configuration": "ResourceConfiguration",
}


def _dotted(path: Path_) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")


def _leaves(value: Any, path: Path_ = ()) -> Iterable[Path_]:
    """The paths of the non-null leaves of `value` (empty objects and lists hold nothing)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _leaves(v, (*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    elif value is not None:
        yield path


def _at(value: Any, path: Path_) -> Any:
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
    return value


class Attrs:
    """The attributes of one instance, remembering which were carried over."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.used: set[Path_] = set()

    def get(self, *path: str | int) -> Any:
        """The value at `path` (None when absent), now counted as carried over."""
        self.used.add(path)
        return _at(self.inst.attributes, path)

    def text(self, *path: str | int) -> str | None:
        value = self.get(*path)
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{_dotted(path)} is {type(value).__name__}, not text")
        return value

    def obj(self, *path: str | int) -> dict[str, Any] | None:
        """A nested object (None when null), without counting its attributes as carried over."""
        value = _at(self.inst.attributes, path)
        if value is not None and not isinstance(value, Mapping):
            raise TypeError(f"{_dotted(path)} is {type(value).__name__}, not an object")
        return dict(value) if value is not None else None

    def leftovers(self) -> list[Path_]:
        """The non-null attributes not carried over."""
        return [p for p in _leaves(self.inst.attributes) if not any(p[: len(u)] == u for u in self.used)]


class TerraformConverter(ProgramBuilder):
    """Converts `instances` (`run`) into `decls`, `notes`, the config keys of the secrets (with
    their values from the state in `values`, never written), what was not carried over
    (`unexpressed`, `read_back`) and the addresses moved entirely to the program (`moved`).
    `value_from(key)` is the shell command that prints a secret's value (None: it cannot)."""

    def __init__(
        self,
        instances: list[Instance],
        connection: str | None,
        value_from: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(connection)
        self.instances = instances
        self.value_from = value_from
        self.values: dict[str, str] = {}
        self.unexpressed: list[str] = []
        self.read_back: dict[str, set[str]] = {}  # Terraform type -> attributes Pulumi reads back
        self.moved: list[str] = []
        self.kept: list[str] = []
        self._ok = True  # whether every declaration of the current instance was accepted

    # ---- plumbing ---------------------------------------------------------------------------
    def sensitive(self, inst: Instance, path: Path_) -> bool:
        return sensitive_path(inst.type, path) or path in inst.sensitive

    def secret_from_state(
        self, key: str, description: str, value: str | None, whole_object: bool = False, why_not: str = ""
    ) -> Secret:
        """A config reference whose value (when the state holds a usable one) is kept in memory
        for `--secret` and whose command reads it from there."""
        if value is None:
            description += f" ({why_not or 'not in the Terraform state'}: type it in)"
        found = self.secret(key, description, whole_object)
        if value is not None:
            self.values[found.key] = value
            command = self.value_from(found.key) if self.value_from else None
            if command:
                self.config[found.key] = dataclasses.replace(self.config[found.key], value_from=command)
        return found

    def value(self, attrs: Attrs, path: Path_, prefix: str, what: str) -> Any:
        """The attribute at `path`: as it is, or a config reference when it is sensitive."""
        value = attrs.get(*path)
        if value is None or not self.sensitive(attrs.inst, path):
            return value
        dotted = _dotted(path)
        return self.secret_from_state(
            f"{prefix}-{dotted}",
            f"{what}: `{dotted}`",
            value if isinstance(value, str) else json.dumps(value),
        )

    def ref(self, kind: str, id_: Any) -> Any:
        """How to refer to an object of `kind` by id: its declaration's output, or the id."""
        if id_ is None:
            return None
        return self.refs.get((kind, str(id_)), str(id_))

    def adopt(
        self,
        inst: Instance,
        attrs: Attrs,
        kind: str,
        args: Mapping[str, Any],
        *,
        var: str | None = None,
        name: str = "",
        label: str = "",
        protect: str = "",
        adopt_id: str | None = None,
    ) -> bool:
        """Declare one object of `inst`, adopting it by `adopt_id`, else by the id the state
        holds (singletons: the organisation's one)."""
        spec = spec_for(kind)
        obj_id = None if spec.singleton or adopt_id else attrs.text("id")
        ok = self.declare(
            kind,
            var or self.name(kind, inst.local_name),
            args,
            adopt_id or obj_id,
            obj_id,
            label or inst.address,
            comment=inst.address,
            protect=protect,
            name=name or inst.local_name,
        )
        self._ok = self._ok and ok
        return ok

    def account(self, inst: Instance, attrs: Attrs, spec: ResourceSpec) -> None:
        """List what the instance holds that the program does not carry."""
        outputs = set(spec.outputs)
        for path in attrs.leftovers():
            top = str(path[0])
            if len(path) == 1 and top in outputs:
                self.read_back.setdefault(inst.type, set()).add(top)
                continue
            why = NOT_CARRIED.get(str(path[-1]), f"{spec.kind} has no input for it")
            shown = ""
            if not self.sensitive(inst, path):
                text = json.dumps(_at(inst.attributes, path), ensure_ascii=False)
                shown = f" = {text[:60]}{'...' if len(text) > 60 else ''}"
            self.unexpressed.append(f"{inst.address}: `{_dotted(path)}`{shown} ({why})")

    # ---- the run ----------------------------------------------------------------------------
    def run(self) -> None:
        convertible: dict[str, list[Instance]] = {kind: [] for kind in KINDS.values()}
        for inst in self.instances:
            if inst.mode == "data":
                self.note(f"{inst.address}: a data source, ignored (nothing to move)")
            elif inst.type not in KINDS:
                if inst.type.startswith("retool_"):
                    self.note(f"{inst.address}: a type this converter does not know, left to Terraform")
                else:
                    self.note(f"{inst.address}: not a Retool resource, left to Terraform")
            else:
                convertible[KINDS[inst.type]].append(inst)
        convertible["Folder"] = self.parents_first(convertible["Folder"])
        for kind, instances in convertible.items():
            spec = spec_for(kind)
            handler = getattr(self, f"convert_{snake(kind)}", self.convert_plain)
            for inst in instances:
                attrs = Attrs(inst)
                self._ok = True
                try:
                    handler(spec, inst, attrs)
                except (LookupError, TypeError, ValueError, AttributeError) as exc:
                    self.note(f"{inst.address}: not converted, unexpected attributes ({exc})")
                    self._ok = False
                (self.moved if self._ok else self.kept).append(inst.address)
                self.account(inst, attrs, spec)
        self.drop_unused_config()
        self.values = {k: v for k, v in self.values.items() if k in self.config}

    def parents_first(self, folders: list[Instance]) -> list[Instance]:
        """Folders ordered so that a parent in the state comes before its children."""
        by_id = {str(f.attributes.get("id")): f for f in folders}

        def depth(f: Instance) -> int:
            seen: set[str] = set()
            n = 0
            while (parent := str(f.attributes.get("parent_folder_id"))) in by_id and parent not in seen:
                seen.add(parent)
                f, n = by_id[parent], n + 1
            return n

        return sorted(folders, key=depth)

    # ---- per type ---------------------------------------------------------------------------
    def inputs(self, spec: ResourceSpec, inst: Instance, attrs: Attrs, prefix: str) -> dict[str, Any]:
        """The attributes named like an input of the type, as they are (secrets as references)."""
        return {
            f: self.value(attrs, (f,), prefix, inst.address)
            for f in spec.fields
            if inst.attributes.get(f) is not None
        }

    def convert_plain(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        """Environments, groups, source control settings: attributes are named like inputs."""
        var = self.name(spec.kind, inst.local_name)
        self.adopt(inst, attrs, spec.kind, self.inputs(spec, inst, attrs, var.replace("_", "-")), var=var)

    def convert_folder(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        var = self.name(spec.kind, inst.local_name)
        args = self.inputs(spec, inst, attrs, var.replace("_", "-"))
        parent = attrs.text("parent_folder_id")
        # The provider writes the root folder of the type as "ROOT" (folder/root_folder_utils.go).
        args["parent_folder_id"] = None if parent in (None, "ROOT") else self.ref("Folder", parent)
        self.adopt(inst, attrs, spec.kind, args, var=var)

    def convert_user(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        var = self.name(spec.kind, inst.local_name)
        args = self.inputs(spec, inst, attrs, var.replace("_", "-"))
        metadata = attrs.text("metadata")  # a JSON string in Terraform, an object here
        args["metadata"] = json.loads(metadata) if metadata is not None else None
        protect = ""
        # `is_admin` is read, not carried: Retool sets it (from the admin group's membership).
        if inst.attributes.get("is_admin") is True and inst.attributes.get("active") is not False:
            protect = (
                "an active admin (destroying a user disables it; the converter cannot tell whose "
                "access token the program runs with)"
            )
        self.adopt(inst, attrs, spec.kind, args, var=var, protect=protect)

    def convert_space(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        var = self.name(spec.kind, inst.local_name)
        args = self.inputs(spec, inst, attrs, var.replace("_", "-"))
        # `create_options` only act at creation; they are inputs of their own here.
        for option in attrs.obj("create_options") or {}:
            if option in spec.fields:
                args[option] = attrs.get("create_options", option)
        self.adopt(inst, attrs, spec.kind, args, var=var)

    def options(self, attrs: Attrs, prefix: str, what: str) -> Secret:
        """A resource's (or resource configuration's) `options`: a JSON string in Terraform, a
        whole secret object here."""
        raw = attrs.text("options")
        value, why = raw, ""
        if raw is None:
            why = "Retool never returns it, and the Terraform state does not hold it (an imported resource)"
        else:
            try:
                parsed = json.loads(raw)
            except json.JSONDecodeError:
                parsed, value, why = None, None, "the Terraform state holds text that is not JSON"
            if parsed is not None and not isinstance(parsed, Mapping):
                value, why = None, "the Terraform state holds JSON that is not an object"
            elif parsed is not None and MASK in json.dumps(parsed):
                # Sending Retool's mask back would overwrite the real secret with it.
                value, why = None, "the Terraform state holds Retool's mask in place of a secret"
        return self.secret_from_state(f"{prefix}-options", f"{what}: `options` as JSON", value, True, why)

    def convert_resource(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        var = self.name(spec.kind, inst.local_name)
        args = {f: attrs.get(f) for f in spec.fields if f != "options"}
        args["options"] = self.options(attrs, var.replace("_", "-"), inst.address)
        self.adopt(inst, attrs, spec.kind, args, var=var)

    def convert_resource_configuration(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        var = self.name(spec.kind, inst.local_name)
        args = {
            "resource_id": self.ref("Resource", attrs.text("resource_id")),
            "environment_id": self.ref("Environment", attrs.text("environment_id")),
            "options": self.options(attrs, var.replace("_", "-"), inst.address),
        }
        self.adopt(inst, attrs, spec.kind, args, var=var)

    def convert_configuration_variable(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        var = self.name(spec.kind, inst.local_name)
        prefix = var.replace("_", "-")
        secret = bool(attrs.get("secret"))
        values = []
        for i, item in enumerate(attrs.get("values") or []):
            if not isinstance(item, Mapping):
                raise TypeError(f"values[{i}] is {type(item).__name__}, not an object")
            env = str(item.get("environment_id"))
            env_ref = self.ref("Environment", env)
            value = item.get("value")
            if secret:
                # The provider marks every value sensitive; those of a variable that is not
                # secret are shown in Retool to anyone who may edit apps, and stay readable here.
                where = self.labels.get(("Environment", env)) or f"values[{i}]"
                value = self.secret_from_state(
                    f"{prefix}-{where.split('.')[-1]}",
                    f"{inst.address}: value in environment {quoted(where)}",
                    value if isinstance(value, str) else None,
                )
            values.append({"environment_id": env_ref, "value": value})
        args = {
            "name": attrs.get("name"),
            "secret": secret,
            "values": values,
            "description": attrs.get("description"),
        }
        self.adopt(inst, attrs, spec.kind, args, var=var)

    def convert_permission(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        """One `Permission` per grant of the set (Terraform keeps a subject's grants together)."""
        subject_type = attrs.text("subject", "type")
        subject_id = str(attrs.get("subject", "id"))
        subject_kind = "Group" if subject_type == "group" else "User"
        subject_ref = self.ref(subject_kind, subject_id)
        subject_label = self.labels.get((subject_kind, subject_id), subject_id)
        grants = attrs.get("permissions") or []
        for i, grant in enumerate(grants):
            if not isinstance(grant, Mapping) or not isinstance(grant.get("object"), Mapping):
                raise TypeError(f"permissions[{i}] is not an object with an object")
            obj = grant["object"]
            object_type, object_id = str(obj.get("type")), str(obj.get("id"))
            kind = _OBJECT_KINDS.get(object_type)
            object_ref = self.ref(kind, object_id) if kind else object_id
            object_label = self.labels.get((kind, object_id), object_id) if kind else object_id
            label = f"{inst.address} {object_type} {object_label}"
            args = {
                "subject_type": subject_type,
                "subject_id": subject_ref,
                "object_type": object_type,
                "object_id": object_ref,
                "access_level": grant.get("access_level"),
                "app_id": obj.get("app_id"),
            }
            self.adopt(
                inst,
                attrs,
                spec.kind,
                args,
                var=self.name(spec.kind, f"{inst.local_name} {object_type} {object_label.split('.')[-1]}"),
                name=f"{inst.local_name}/{object_type}/{object_id}",
                label=f"{label} (granted to {subject_type} {subject_label})",
                adopt_id=f"{subject_type}/{subject_id}/{object_type}/{object_id}",
            )

    def convert_sso_config(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        """The provider's nested blocks flattened into Retool's fields, the way the provider
        sends them (sso/resource.go): unset booleans are false, role mappings `key->value`
        pairs joined by commas, restricted domains joined by commas."""
        var = self.name(spec.kind, inst.local_name)
        prefix = var.replace("_", "-")
        blocks = tuple(attrs.obj(b) is not None for b in ("google", "oidc", "saml"))
        config_type = _SSO_TYPES.get(blocks)
        if config_type is None:
            raise ValueError("set one of google, oidc, saml (or google with one of the others)")
        what = inst.address

        def put(field: str, *path: str, flag: bool = False) -> None:
            value = self.value(attrs, path, prefix, what)
            args[field] = bool(value) if flag else value

        args: dict[str, Any] = {"config_type": config_type}
        put("disable_email_password_login", "disable_email_password_login", flag=True)
        if blocks[0]:
            put("google_client_id", "google", "client_id")
            put("google_client_secret", "google", "client_secret")
        block = "oidc" if blocks[1] else "saml" if blocks[2] else ""
        if block:
            put("jit_enabled", block, "jit_enabled", flag=True)
            put("trigger_login_automatically", block, "trigger_login_automatically", flag=True)
            domains = attrs.get(block, "restricted_domains")
            args["restricted_domain"] = ",".join(domains) if domains else None
        if blocks[1]:
            for field in ("client_id", "client_secret", "scopes", "auth_url", "token_url", "audience"):
                put(f"oidc_{field}", "oidc", field)
            put("oidc_userinfo_url", "oidc", "userinfo_url")
            for field in ("jwt_email_key", "jwt_roles_key", "jwt_first_name_key", "jwt_last_name_key"):
                put(field, "oidc", field)
            mapping = attrs.get("oidc", "roles_mapping") or {}
            args["roles_mapping"] = ",".join(f"{k}->{v}" for k, v in mapping.items()) or None
        if blocks[2]:
            put("idp_metadata_xml", "saml", "idp_metadata_xml")
            for field in ("first_name_attribute", "last_name_attribute", "groups_attribute"):
                put(f"saml_{field}", "saml", field)
            put("saml_sync_group_claims", "saml", "sync_group_claims", flag=True)
            put("ldap_sync_group_claims", "saml", "ldap_sync_group_claims")
            # SAML role mappings are sent as Retool's LDAP role mapping (one pair per value).
            mapping = attrs.get("saml", "roles_mapping") or {}
            pairs = [f"{k}->{v}" for k, values in mapping.items() for v in values]
            args["ldap_role_mapping"] = ",".join(pairs) or None
            for field in ("server_url", "base_domain_components", "server_name", "server_key"):
                put(f"ldap_{field}", "saml", "ldap_config", field)
            put("ldap_server_certificate", "saml", "ldap_config", "server_certificate")
        for field in ("client_secret", "server_key", "server_certificate"):
            for path in (("google", field), ("oidc", field), ("saml", "ldap_config", field)):
                self.missing_secret(args, attrs, path, prefix, what)
        self.adopt(
            inst,
            attrs,
            spec.kind,
            args,
            var=var,
            protect="deleting it can lock every user out of the organisation",
        )

    def missing_secret(self, args: dict[str, Any], attrs: Attrs, path: Path_, prefix: str, what: str) -> None:
        """A secret the block declares but the state no longer holds (the provider clears some
        after a refresh) is still a config reference, to be typed in."""
        block = _at(attrs.inst.attributes, path[:-1])
        fields: dict[Path_, str] = {
            ("google", "client_secret"): "google_client_secret",
            ("oidc", "client_secret"): "oidc_client_secret",
            ("saml", "ldap_config", "server_key"): "ldap_server_key",
            ("saml", "ldap_config", "server_certificate"): "ldap_server_certificate",
        }
        field = fields.get(path)
        if field and isinstance(block, Mapping) and block.get(path[-1]) is None and args.get(field) is None:
            args[field] = self.secret_from_state(
                f"{prefix}-{_dotted(path)}", f"{what}: `{_dotted(path)}`", None
            )

    def convert_source_control(self, spec: ResourceSpec, inst: Instance, attrs: Attrs) -> None:
        """The provider's one block per Git host becomes `provider` and `config`, as the provider
        sends them (sourcecontrol/resource.go)."""
        var = self.name(spec.kind, inst.local_name)
        prefix = var.replace("_", "-")
        hosts = [b for b in _SOURCE_CONTROL if attrs.obj(b) is not None]
        if len(hosts) != 1:
            raise ValueError(f"expected exactly one of {', '.join(_SOURCE_CONTROL)}, found {len(hosts)}")
        host = hosts[0]
        block = attrs.obj(host) or {}
        what = inst.address

        def field(*path: str) -> Any:
            full = (host, *path)
            value = self.value(attrs, full, prefix, what)
            if value is None and self.sensitive(inst, full):
                # The provider clears credentials from the state after a refresh.
                dotted = _dotted(full)
                return self.secret_from_state(f"{prefix}-{dotted}", f"{what}: `{dotted}`", None)
            return value

        config: dict[str, Any]
        if host == "github" and block.get("app_authentication") is not None:
            config = {"type": "App"}
            config.update(
                {k: field("app_authentication", k) for k in ("app_id", "installation_id", "private_key")}
            )
        elif host == "github":
            config = {"type": "Personal", "personal_access_token": field("personal_access_token")}
        elif host == "gitlab":
            project = attrs.get(host, "project_id")
            config = {
                "project_id": int(project) if project is not None else None,
                "url": field("url"),
                "project_access_token": field("project_access_token"),
            }
        elif host == "bitbucket":
            config = {
                "type": "AppPassword",
                "username": field("username"),
                "app_password": field("app_password"),
            }
        else:
            keys = {
                "aws_codecommit": (
                    "url",
                    "region",
                    "access_key_id",
                    "secret_access_key",
                    "https_username",
                    "https_password",
                ),
                "azure_repos": ("url", "project", "user", "personal_access_token", "use_basic_auth"),
            }[host]
            config = {k: field(k) for k in keys}
        if host in ("github", "bitbucket"):
            config.update({"url": field("url"), "enterprise_api_url": field("enterprise_api_url")})
        args = {
            "provider": _SOURCE_CONTROL[host],
            "org": attrs.get("org"),
            "repo": attrs.get("repo"),
            "default_branch": attrs.get("default_branch"),
            "repo_version": attrs.get("repo_version"),
            "config": {k: v for k, v in config.items() if v is not None},
        }
        self.adopt(inst, attrs, spec.kind, args, var=var)
