"""Shared by the Terraform migration tests: the fixtures (states written from the schema of
Retool's Terraform provider, `docs/resources/*.md`), and an emulated organisation holding what
a state describes, with the state's ids.

The seed follows the Terraform provider, not the converter: each object is created through
the API with the body the provider sends for it (internal/provider/*/resource.go), from the
state's values, then given the state's id in the emulator's store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.terraform import Instance, load_state
from tests.export.export_support import _create

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "terraform"
ORG_STATE = FIXTURES / "org.tfstate"

# What the organisation holds where the state has no usable value: the options of a resource
# imported into Terraform (never in state), and a resource configuration whose state holds
# Retool's mask in place of the password.
LEGACY_OPTIONS = {"base_url": "https://legacy.example.com"}
QA_DB_PASSWORD = "pg-qa-real-password-8d7c"
# Every secret value the fixture's state holds: none may appear in a written file.
STATE_SECRETS = (
    "tf-pg-secret-1a2b",
    "tf-api-token-9f8e",
    "tf-var-prod-7e6d",
    "tf-var-qa-5c4b",
    "tf-google-secret-2b3c",
    "tf-oidc-secret-4d5e",
    "tf-gh-private-key-6f7a",
    "tf-random-result-0a1b",
    "enc-v1:QmFzZTY0R29vZ2xl",
)
# The twelve resource types of Retool's Terraform provider.
TF_TYPES = (
    "retool_folder",
    "retool_group",
    "retool_permissions",
    "retool_space",
    "retool_sso",
    "retool_source_control",
    "retool_source_control_settings",
    "retool_environment",
    "retool_configuration_variable",
    "retool_resource",
    "retool_resource_configuration",
    "retool_user",
)


def typed_values(qa_options: dict[str, Any]) -> dict[str, str]:
    """The values of the config keys the state cannot give, as a user would type them in."""
    return {
        "resource-legacy-api-options": json.dumps(LEGACY_OPTIONS),
        "resource-configuration-orders-db-qa-options": json.dumps(qa_options),
    }


def _rekey(em: Emulator, collection: str, old: Any, new: Any, **fields: Any) -> None:
    """Give the record `old` of `collection` the id `new` (the state's)."""
    store = em.store
    with store.lock:
        items = getattr(store, collection)
        record = items.pop(old)
        record.update(id=new, **fields)
        items[new] = record


def _managed(instances: list[Instance], tf_type: str) -> list[Instance]:
    return [i for i in instances if i.mode == "managed" and i.type == tf_type]


def _options(inst: Instance, fallback: dict[str, Any]) -> dict[str, Any]:
    raw = inst.attributes.get("options")
    if raw is None or "---encrypted-on-server---" in raw:
        return fallback
    parsed: dict[str, Any] = json.loads(raw)
    return parsed


def seed_from_state(client: RetoolClient, em: Emulator, instances: list[Instance]) -> dict[str, Any]:
    """Make the emulated organisation hold every managed `retool_*` object of the state, with its
    id and values. Returns what the state cannot tell (the real options of the masked
    resource configuration)."""
    envs = {e["name"]: e["id"] for e in client.paginate("/environments")}
    # The default environment and an app the state refers to (not managed by Terraform).
    for data in (i for i in instances if i.mode == "data" and i.type == "retool_environments"):
        for env in data.attributes["environments"]:
            if env["default"]:
                _rekey(em, "environments", envs["production"], env["id"])
    app_ids = {
        str(p["object"]["id"])
        for i in _managed(instances, "retool_permissions")
        for p in i.attributes["permissions"]
        if p["object"]["type"] == "app"
    }
    for app_id, seeded in zip(sorted(app_ids), list(em.store.apps), strict=False):
        _rekey(em, "apps", seeded, app_id)

    for inst in _managed(instances, "retool_environment"):
        a = inst.attributes
        made = _create(client, "Environment", name=a["name"], color=a["color"], description=a["description"])
        _rekey(em, "environments", made["id"], a["id"])

    folders = _managed(instances, "retool_folder")
    done: set[str] = set()
    while len(done) < len(folders):
        for inst in folders:
            a = inst.attributes
            parent = a["parent_folder_id"]
            if a["id"] in done or (parent != "ROOT" and parent not in done):
                continue
            made = _create(
                client,
                "Folder",
                name=a["name"],
                folder_type=a["folder_type"],
                parent_folder_id=None if parent == "ROOT" else parent,
            )
            _rekey(em, "folders", made["id"], a["id"], legacy_id=a["legacy_id"])
            done.add(a["id"])

    for inst in _managed(instances, "retool_group"):
        a = inst.attributes
        fields = {k: v for k, v in a.items() if k not in ("id", "legacy_id") and v is not None}
        made = _create(client, "Group", **fields)
        _rekey(em, "groups", made["id"], int(a["id"]), legacy_id=int(a["legacy_id"]))

    admin_group = next(g for g in client.paginate("/groups") if g["name"] == "admin")
    for inst in _managed(instances, "retool_user"):
        a = inst.attributes
        made = _create(
            client,
            "User",
            email=a["email"],
            first_name=a["first_name"],
            last_name=a["last_name"],
            metadata=json.loads(a["metadata"]) if a["metadata"] else None,
            user_type=a["user_type"],
        )
        _rekey(em, "users", made["id"], a["id"], legacy_id=int(a["legacy_id"]))
        if a["is_admin"]:
            _create(client, "GroupMember", group_id=str(admin_group["id"]), user_id=a["id"])

    for inst in _managed(instances, "retool_space"):
        a = inst.attributes
        made = _create(client, "Space", name=a["name"], domain=a["domain"], **(a["create_options"] or {}))
        _rekey(em, "spaces", made["id"], a["id"])

    for inst in _managed(instances, "retool_resource"):
        a = inst.attributes
        options = _options(inst, LEGACY_OPTIONS)
        made = _create(client, "Resource", type=a["type"], display_name=a["display_name"], options=options)
        _rekey(em, "resources", made["id"], a["id"])

    qa_options: dict[str, Any] = {}
    for inst in _managed(instances, "retool_resource_configuration"):
        a = inst.attributes
        options = json.loads(a["options"])
        if "---encrypted-on-server---" in a["options"]:
            options["database_options"]["password"] = QA_DB_PASSWORD
            qa_options = options
        made = _create(
            client,
            "ResourceConfiguration",
            resource_id=a["resource_id"],
            environment_id=a["environment_id"],
            options=options,
        )
        _rekey(em, "resource_configurations", made["id"], a["id"])

    for inst in _managed(instances, "retool_configuration_variable"):
        a = inst.attributes
        made = _create(
            client,
            "ConfigurationVariable",
            name=a["name"],
            secret=a["secret"],
            values=a["values"],
            description=a["description"],
        )
        _rekey(em, "configuration_variables", made["id"], a["id"])

    for inst in _managed(instances, "retool_permissions"):
        subject = inst.attributes["subject"]
        for grant in inst.attributes["permissions"]:
            client.post(
                "/permissions/grant",
                json={
                    "subject": {
                        "type": subject["type"],
                        "id": int(subject["id"]) if subject["type"] == "group" else subject["id"],
                    },
                    "object": {"type": grant["object"]["type"], "id": grant["object"]["id"]},
                    "access_level": grant["access_level"],
                },
            )

    for inst in _managed(instances, "retool_sso"):
        client.post("/sso/config", json={"data": _sso_body(inst.attributes)})
    for inst in _managed(instances, "retool_source_control"):
        client.put("/source_control/config", json={"config": _source_control_body(inst.attributes)})
    for inst in _managed(instances, "retool_source_control_settings"):
        client.put("/source_control/settings", json={"settings": inst.attributes})
    return qa_options


def _sso_body(a: dict[str, Any]) -> dict[str, Any]:
    """What the provider posts for a `google` + `oidc` configuration (sso/resource.go)."""
    google, oidc = a["google"], a["oidc"]
    assert google is not None and oidc is not None and a["saml"] is None, "the fixture's SSO is google & oidc"
    body = {
        "config_type": "google & oidc",
        "google_client_id": google["client_id"],
        "google_client_secret": google["client_secret"],
        "disable_email_password_login": bool(a["disable_email_password_login"]),
        "oidc_client_id": oidc["client_id"],
        "oidc_client_secret": oidc["client_secret"],
        "oidc_scopes": oidc["scopes"],
        "oidc_auth_url": oidc["auth_url"],
        "oidc_token_url": oidc["token_url"],
        "jwt_email_key": oidc["jwt_email_key"],
        "jwt_roles_key": oidc["jwt_roles_key"],
        "jwt_first_name_key": oidc["jwt_first_name_key"],
        "jwt_last_name_key": oidc["jwt_last_name_key"],
        "roles_mapping": ",".join(f"{k}->{v}" for k, v in oidc["roles_mapping"].items()),
        "jit_enabled": bool(oidc["jit_enabled"]),
        "trigger_login_automatically": bool(oidc["trigger_login_automatically"]),
        "restricted_domain": ",".join(oidc["restricted_domains"]),
    }
    return {k: v for k, v in body.items() if v is not None}


def _source_control_body(a: dict[str, Any]) -> dict[str, Any]:
    """What the provider puts for GitHub App authentication (sourcecontrol/resource.go)."""
    github = a["github"]
    assert github is not None and github["app_authentication"] is not None, "the fixture uses a GitHub App"
    app = github["app_authentication"]
    config = {
        "type": "App",
        "app_id": app["app_id"],
        "installation_id": app["installation_id"],
        "private_key": app["private_key"],
        "url": github["url"],
        "enterprise_api_url": github["enterprise_api_url"],
    }
    return {
        "provider": "GitHub",
        "org": a["org"],
        "repo": a["repo"],
        "default_branch": a["default_branch"],
        "repo_version": a["repo_version"],
        "config": {k: v for k, v in config.items() if v is not None},
    }


def org_instances() -> list[Instance]:
    return load_state(ORG_STATE)
