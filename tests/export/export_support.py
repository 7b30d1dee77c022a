"""Shared by the export tests: an organisation with objects of every exportable type (and
secrets), what the seed used for each secret the export asks for, and a driver of the real
engine on an exported project directory."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from retool_pulumi import export
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import spec_for
from tests.engine import REPO, TOOLS, engine_env, pulumi_command

PG_PASSWORD = "pg-pass-export-81c2"
STAGING_PASSWORD = "pg-staging-pass-77aa"
VAR_STAGING = "var-secret-staging-19f0"
VAR_PRODUCTION = "var-secret-production-55e1"
GIT_TOKEN = "ghp-export-token-3d9c"
OIDC_SECRET = "oidc-export-secret-0b7e"
DSN = "https://sentry-export-key-6a2d@o1.ingest.sentry.io/9"
HEADER_TOKEN = "Bearer qa-header-token-52e0"  # an Authorization header Retool returns as is
PG_OPTIONS = {
    "database_options": {
        "host": "db.internal",
        "port": "5432",
        "name": "orders",
        "username": "retool",
        "password": PG_PASSWORD,
    }
}
API_OPTIONS = {"base_url": "https://x.io"}
SECRETS = (
    PG_PASSWORD,
    STAGING_PASSWORD,
    VAR_STAGING,
    VAR_PRODUCTION,
    GIT_TOKEN,
    OIDC_SECRET,
    DSN,
    HEADER_TOKEN.split()[1],
)

# POSTs that make a new object (or a new grant/membership) in Retool.
CREATING = re.compile(
    r"^/api/v2/(folders|groups|environments|configuration_variables|resources|resource_configurations"
    r"|users|spaces|user_attributes|user_invites|role_permissions/roles|role_permissions/role_grants"
    r"|app_themes|observability/config|access_tokens|custom_component_libraries|permissions/grant"
    r"|groups/\d+/members|users/[^/]+/user_attributes|source_control/config)/?$"
)


def _create(client: RetoolClient, kind: str, **inputs: Any) -> dict[str, Any]:
    """Seed through the API, the way the engine's create does (the spec knows each body)."""
    spec = spec_for(kind)
    checked = spec.inputs.model_validate(inputs).model_dump(mode="json", exclude_none=True)
    return spec.create_object(client, spec.resolve(client, checked))


def seed(client: RetoolClient) -> dict[str, str]:
    """An organisation with objects of every exportable type. Returns the ids tests look at."""
    envs = {e["name"]: e["id"] for e in client.paginate("/environments")}
    groups = {g["name"]: str(g["id"]) for g in client.paginate("/groups")}
    app = next(iter(client.paginate("/apps")))

    reports = _create(client, "Folder", name="Reports", folder_type="app")
    q1 = _create(client, "Folder", name="Q1", folder_type="app", parent_folder_id=reports["id"])
    _create(client, "Folder", name="Automations", folder_type="workflow")
    analysts = _create(client, "Group", name="Analysts", universal_app_access="use", user_list_access=True)
    support = _create(client, "Group", name="Support")
    qa = _create(client, "Environment", name="qa", color="#1E88E5", description="QA")
    ada = _create(client, "User", email="ada@example.com", first_name="Ada", last_name="Lovelace")
    bob = _create(client, "User", email="bob@example.com", first_name="Bob", last_name="Builder")
    gid = str(analysts["id"])
    _create(client, "GroupMember", group_id=gid, user_id=ada["id"], is_group_admin=True)
    _create(client, "GroupMember", group_id=gid, user_id=bob["id"])
    _create(client, "GroupMember", group_id=str(support["id"]), user_id=bob["id"])
    _create(client, "GroupMember", group_id=groups["editor"], user_id=ada["id"])

    _create(
        client,
        "ConfigurationVariable",
        name="api_base",
        secret=False,
        values=[{"environment_id": envs["production"], "value": "https://api.example.com"}],
        description="Where the API lives",
    )
    _create(
        client,
        "ConfigurationVariable",
        name="api_key",
        secret=True,
        values=[
            {"environment_id": envs["production"], "value": VAR_PRODUCTION},
            {"environment_id": envs["staging"], "value": VAR_STAGING},
        ],
    )
    pg = _create(client, "Resource", type="postgresql", display_name="Orders DB", options=PG_OPTIONS)
    api = _create(client, "Resource", type="restapi", display_name="Orders API", options=API_OPTIONS)
    staging_options = json.loads(json.dumps(PG_OPTIONS))
    staging_options["database_options"].update(host="staging.internal", password=STAGING_PASSWORD)
    _create(
        client,
        "ResourceConfiguration",
        resource_id=pg["id"],
        environment_id=envs["staging"],
        options=staging_options,
    )
    _create(
        client,
        "ResourceConfiguration",
        resource_id=api["id"],
        environment_id=qa["id"],
        options={"base_url": "https://qa.x.io", "headers": [["Authorization", HEADER_TOKEN]]},
    )

    def grant(subject_type: str, subject_id: str, object_type: str, object_id: str, level: str) -> None:
        _create(
            client,
            "Permission",
            subject_type=subject_type,
            subject_id=subject_id,
            object_type=object_type,
            object_id=object_id,
            access_level=level,
        )

    grant("group", gid, "folder", reports["id"], "use")
    grant("group", gid, "resource", pg["id"], "use")
    grant("group", gid, "app", app["id"], "edit")
    grant("group", groups["viewer"], "folder", q1["id"], "use")
    grant("user", bob["id"], "folder", q1["id"], "edit")

    _create(client, "Space", name="Team space", domain="team.example.com")
    _create(client, "UserAttribute", name="department", label="Department", data_type="string")
    _create(client, "UserAttributeValue", user_id=ada["id"], attribute_name="department", value="R&D")
    _create(client, "UserInvite", email="carol@example.com", default_group_ids=[int(gid)])
    role = _create(
        client,
        "Role",
        name="Auditor",
        object_scopes=["apps:read"],
        organization_scopes=["audit_logs:read"],
        description="Reads audit logs",
    )
    _create(client, "RoleGrant", role_id=role["id"], subject_type="group", subject_id=gid)
    _create(client, "AppTheme", name="Brand", theme={"primary": "#123456"})
    _create(client, "ObservabilityConfig", config={"provider": "Sentry", "dsn": DSN}, enabled=True)
    _create(client, "AccessToken", label="CI token", scopes=["apps:read"])
    _create(client, "CustomComponentLibrary", name="charts", label="Charts", description="Chart widgets")
    _create(
        client,
        "SourceControl",
        provider="GitHub",
        org="acme",
        repo="retool-apps",
        default_branch="main",
        config={"type": "Personal", "personal_access_token": GIT_TOKEN, "url": "https://github.com"},
    )
    _create(
        client,
        "SsoConfig",
        config_type="oidc",
        oidc_client_id="retool",
        oidc_client_secret=OIDC_SECRET,
        oidc_scopes="openid email profile",
        oidc_auth_url="https://idp.example.com/auth",
        oidc_token_url="https://idp.example.com/token",
        jwt_email_key="email",
        jwt_first_name_key="given_name",
        jwt_last_name_key="family_name",
        jit_enabled=True,
        trigger_login_automatically=False,
        disable_email_password_login=False,
    )
    client.patch(
        "/organization/",
        json={"operations": [{"op": "replace", "path": "/preloaded_css", "value": "body { margin: 0 }"}]},
    )
    return {"reports": reports["id"], "q1": q1["id"], "analysts": gid, "ada": ada["id"], "bob": bob["id"]}


def secret_values(program: export.ExportedProgram) -> dict[str, str]:
    """What the seed used for each config key the export asks for."""
    values: dict[str, str] = {}
    for key in program.config_keys:
        if key == "resource-orders-db-options":
            values[key] = json.dumps(PG_OPTIONS)
        elif key == "resource-orders-api-options":
            values[key] = json.dumps(API_OPTIONS)
        elif key.startswith("resource-configuration-orders-db-staging-options"):
            values[key] = STAGING_PASSWORD
        elif key == "configuration-variable-api-key-staging":
            values[key] = VAR_STAGING
        elif key == "configuration-variable-api-key-production":
            values[key] = VAR_PRODUCTION
        elif key.startswith("source-control-config"):
            values[key] = GIT_TOKEN
        elif key == "sso-config-oidc-client-secret":
            values[key] = OIDC_SECRET
        elif key.startswith("observability-config-sentry-config"):
            values[key] = DSN
        elif key.startswith("resource-configuration-orders-api-qa-options-headers"):
            values[key] = HEADER_TOKEN
        else:
            raise AssertionError(f"the export asks for an unexpected secret {key!r}")
    return values


# ---- the real engine on an exported project ----------------------------------------------------------


def counts(em: Emulator) -> dict[str, int]:
    """How many objects of each collection (and grants, memberships) the emulator holds."""
    dump = em.store.dump()
    out = {name: len(items) for name, items in dump["collections"].items()}
    out["permissions"] = len(dump["permissions"])
    out["memberships"] = sum(len(g["members"]) for g in dump["collections"]["groups"])
    return out


def org_state(em: Emulator) -> dict[str, Any]:
    """The emulator's whole state without timestamps (an adopting up re-sends secrets, which
    moves `updated_at`), for "nothing changed" comparisons."""
    stamps = re.compile(r"^(created_at|updated_at|last_active|last_login|.*_at)$")

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not stamps.match(str(k))}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return dict(strip(em.store.dump()))


def exported_stack(
    program: export.ExportedProgram,
    tmp_path: Path,
    retool_env: dict[str, str],
    config: dict[str, str] | None = None,
    stack: str = "adopt",
) -> auto.Stack:
    """Write `program` as a project under `tmp_path` and select a stack of it on a file backend,
    with `config` set as secrets."""
    project = tmp_path / "project"
    program.write(project)
    # The exported Pulumi.yaml names `virtualenv: venv`, which the language host honours: a user
    # would create it; here it is this checkout's.
    (project / "venv").symlink_to(REPO / ".venv")
    backend = tmp_path / "backend"
    backend.mkdir(exist_ok=True)
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(project),
        pulumi_home=str(TOOLS / "pulumi-home"),
        secrets_provider="passphrase",
        env_vars=engine_env({**retool_env, "PULUMI_BACKEND_URL": f"file://{backend}"}),
        pulumi_command=pulumi_command(),
    )
    st = auto.create_or_select_stack(stack_name=stack, work_dir=str(project), opts=opts)
    if config:
        st.set_all_config({k: auto.ConfigValue(v, secret=True) for k, v in config.items()})
    return st


def writes(em: Emulator) -> list[tuple[str, str]]:
    """The non-GET requests the emulator received since its last `clear_requests()`."""
    return [(r["method"], r["path"]) for r in em.requests() if r["method"] != "GET"]


def creating(em: Emulator) -> list[tuple[str, str]]:
    """The object-creating requests among `writes(em)`."""
    return [w for w in writes(em) if w[0] == "POST" and CREATING.match(w[1])]


def methods(em: Emulator) -> dict[str, int]:
    return dict(Counter(r["method"] for r in em.requests()))


def kinds(program: export.ExportedProgram) -> Counter[str]:
    return Counter(d.kind for d in program.declarations)


def adopts(kind: str) -> bool:
    return not spec_for(kind).singleton


def pulumi_cli(st: auto.Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `pulumi <args> --stack <st>` in the stack's project, with its environment."""
    ws = st.workspace
    assert isinstance(ws, auto.LocalWorkspace)
    return subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), *args, "--stack", st.name],
        cwd=ws.work_dir,
        env={**os.environ, **ws.env_vars},
        capture_output=True,
        text=True,
        check=False,
    )


READS_BY_POST = {"/api/v2/permissions/listObjects"}


def changing(em: Emulator) -> list[tuple[str, str]]:
    """The requests since the last `clear_requests()` that may change something in Retool."""
    return [w for w in writes(em) if w[1] not in READS_BY_POST]


def ruff_format_diff(code: str) -> str:
    """What `ruff format` (line length 88, the default of a project) would change in `code`:
    empty when the program is already formatted."""
    ruff = Path(sys.executable).parent / "ruff"
    check = subprocess.run(
        [str(ruff), "format", "--isolated", "--line-length", "88", "--diff", "--stdin-filename", "m.py", "-"],
        input=code,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert check.returncode in (0, 1), check.stderr
    return check.stdout
