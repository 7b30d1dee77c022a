"""`retool_pulumi.export`: the generated program (compiles, stable names, no secret values, system
objects referenced) and the round trip through the real engine: seed an org, export it, `pulumi up`
adopts everything (no object-creating request, no new object), then preview and refresh are clean."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from retool_pulumi import export
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import spec_for
from retool_pulumi.export import export_program
from tests.engine import REPO, TOOLS, changes, engine_env, export_state, pulumi_command

PG_PASSWORD = "pg-pass-export-81c2"
STAGING_PASSWORD = "pg-staging-pass-77aa"
VAR_STAGING = "var-secret-staging-19f0"
VAR_PRODUCTION = "var-secret-production-55e1"
GIT_TOKEN = "ghp-export-token-3d9c"
OIDC_SECRET = "oidc-export-secret-0b7e"
DSN = "https://sentry-export-key-6a2d@o1.ingest.sentry.io/9"
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
SECRETS = (PG_PASSWORD, STAGING_PASSWORD, VAR_STAGING, VAR_PRODUCTION, GIT_TOKEN, OIDC_SECRET, DSN)

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
        options={"base_url": "https://qa.x.io"},
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
        else:
            raise AssertionError(f"the export asks for an unexpected secret {key!r}")
    return values


# ---- the generated code ---------------------------------------------------------------------------


@pytest.fixture
def seeded(retool_client: RetoolClient) -> dict[str, str]:
    return seed(retool_client)


def test_program_compiles_declares_every_seeded_object_and_no_secret(
    seeded: dict[str, str], retool_client: RetoolClient
) -> None:
    program = export_program(retool_client)
    ast.parse(program.code)
    compile(program.code, "__main__.py", "exec")
    kinds = Counter(d.kind for d in program.declarations)
    assert kinds["Folder"] == 3
    assert kinds["Group"] == 2  # Analysts, Support: the default groups are referenced
    assert kinds["User"] == 3  # the admin, Ada, Bob
    assert kinds["GroupMember"] == 5  # admin in admin, 2 in Analysts, 1 in Support, Ada in editor
    assert kinds["Environment"] == 2  # staging, qa: production is referenced
    assert kinds["Permission"] == 5
    for kind in (
        "ConfigurationVariable",
        "Resource",
        "ResourceConfiguration",
    ):
        assert kinds[kind] == 2, kind
    for kind in (
        "Space",
        "UserAttribute",
        "UserAttributeValue",
        "UserInvite",
        "Role",
        "RoleGrant",
        "AppTheme",
        "ObservabilityConfig",
        "AccessToken",
        "SourceControl",
        "SourceControlSettings",
        "SsoConfig",
        "OrganizationSettings",
        "AiSettings",
    ):
        assert kinds[kind] == 1, kind
    # Retool's list endpoint of libraries needs a library id: skipped, and said so.
    assert kinds["CustomComponentLibrary"] == 0
    assert "# - CustomComponentLibrary: not exported" in program.code
    for secret in SECRETS:
        assert secret not in program.code, "a secret value was exported"
        assert secret not in program.readme()
    assert "---encrypted-on-server---" not in program.code
    # Readable: already formatted the way ruff formats a project (line length 88).
    ruff = Path(sys.executable).parent / "ruff"
    if ruff.exists():
        check = subprocess.run(
            [
                str(ruff),
                "format",
                "--isolated",
                "--line-length",
                "88",
                "--check",
                "--stdin-filename",
                "m.py",
                "-",
            ],
            input=program.code,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    # Every non-singleton declaration adopts.
    for decl in program.declarations:
        if not spec_for(decl.kind).singleton:
            assert decl.adopt_id, f"{decl.var} has no adopt_id"


def test_system_objects_are_referenced_not_declared(
    seeded: dict[str, str], retool_client: RetoolClient
) -> None:
    program = export_program(retool_client)
    code = program.code
    assert 'group_admin_id = retool.get_group("admin")["id"]' in code
    assert 'group_viewer_id = retool.get_group("viewer")["id"]' in code
    assert 'environment_production_id = retool.get_environment("production")["id"]' in code
    names = {d.args.get("name") for d in program.declarations}
    for system in ("admin", "editor", "viewer", "All Users", "production", "root", "archive"):
        assert system not in names
    assert not any(d.kind == "Folder" and "Drafts" in str(d.args.get("name")) for d in program.declarations)
    # References to other exported objects go through their variables.
    q1 = next(d for d in program.declarations if d.kind == "Folder" and d.args["name"] == "Q1")
    assert q1.var == "folder_reports_q1"
    assert "parent_folder_id=folder_reports.id" in code
    reports = next(d for d in program.declarations if d.kind == "Folder" and d.args["name"] == "Reports")
    assert "parent_folder_id" not in reports.args  # the root: None
    assert "subject_id=group_analysts.id" in code
    assert "subject_id=group_viewer_id" in code
    assert "object_id=folder_reports_q1.id" in code
    assert "resource_id=resource_orders_db.id" in code
    assert "environment_id=environment_qa.id" in code
    assert '"environment_id": environment_production_id' in code
    assert "group_id=group_editor_id" in code


def test_secrets_become_documented_config_references(
    seeded: dict[str, str], retool_client: RetoolClient
) -> None:
    program = export_program(retool_client)
    assert sorted(program.config_keys) == sorted(secret_values(program))
    assert 'options=config.require_secret_object("resource-orders-db-options")' in program.code
    assert 'config.require_secret("configuration-variable-api-key-staging")' in program.code
    assert 'oidc_client_secret=config.require_secret("sso-config-oidc-client-secret")' in program.code
    assert "source-control-config-personal-access-token" in program.config_keys
    # The non-secret parts of masked options stay readable.
    assert '"host": "staging.internal"' in program.code
    for key in program.config:
        assert f"pulumi config set --secret {key.key} " in program.code
        assert key.command in program.readme()


def test_output_is_deterministic_and_names_are_unique(
    seeded: dict[str, str], retool_client: RetoolClient, retool_emulator: Emulator
) -> None:
    first = export_program(retool_client)
    assert export_program(retool_client).code == first.code
    names = [d.var for d in first.declarations]
    assert len(names) == len(set(names))
    # Two folders with the same name get distinct, stable variables.
    _create(retool_client, "Folder", name="Reports", folder_type="workflow")
    again = export_program(retool_client)
    reports = [d.var for d in again.declarations if d.kind == "Folder" and d.args["name"] == "Reports"]
    assert reports == ["folder_reports", "folder_reports_2"]
    assert {d.var for d in first.declarations} <= {d.var for d in again.declarations}


def test_cli_writes_a_project(
    seeded: dict[str, str], retool_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in retool_env.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "org"
    assert export.main(["--output", str(out), "--project-name", "acme-retool"]) == 0
    assert (out / "__main__.py").read_text().startswith('"""Retool organisation exported')
    assert "name: acme-retool" in (out / "Pulumi.yaml").read_text()
    assert "runtime:\n  name: python" in (out / "Pulumi.yaml").read_text()
    readme = (out / "README.md").read_text()
    assert "pulumi config set --secret resource-orders-db-options" in readme


def test_types_that_cannot_be_listed_are_skipped_with_a_note(retool_client: RetoolClient) -> None:
    # GroupMember's collection lists groups, not memberships: the generic path must refuse it.
    exporter = export._Exporter(retool_client, None)
    exporter.generic(spec_for("GroupMember"))
    assert exporter.decls == []
    assert any(n.startswith("GroupMember: not exported") for n in exporter.notes)


def test_named_connection_is_passed_everywhere(seeded: dict[str, str], retool_client: RetoolClient) -> None:
    program = export_program(retool_client, connection="eu")
    ast.parse(program.code)
    assert 'CONNECTION = "eu"' in program.code
    assert 'retool.get_group("admin", connection=CONNECTION)' in program.code
    assert program.code.count("connection=CONNECTION,") == len(program.declarations)


# ---- the round trip through the real engine ---------------------------------------------------------


def _counts(em: Emulator) -> dict[str, int]:
    dump = em.store.dump()
    counts = {name: len(items) for name, items in dump["collections"].items()}
    counts["permissions"] = len(dump["permissions"])
    counts["memberships"] = sum(len(g["members"]) for g in dump["collections"]["groups"])
    return counts


@pytest.mark.engine
def test_round_trip_adopts_everything_through_the_real_engine(
    seeded: dict[str, str],
    retool_client: RetoolClient,
    retool_emulator: Emulator,
    retool_env: dict[str, str],
    tmp_path: Path,
) -> None:
    program = export_program(retool_client, project_name="exported-org")
    project = tmp_path / "project"
    program.write(project)
    # The exported Pulumi.yaml names `virtualenv: venv`, which the language host honours: a user
    # would create it; here it is this checkout's.
    (project / "venv").symlink_to(REPO / ".venv")
    backend = tmp_path / "backend"
    backend.mkdir()
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(project),
        pulumi_home=str(TOOLS / "pulumi-home"),
        secrets_provider="passphrase",
        env_vars=engine_env({**retool_env, "PULUMI_BACKEND_URL": f"file://{backend}"}),
        pulumi_command=pulumi_command(),
    )
    st = auto.create_or_select_stack(stack_name="adopt", work_dir=str(project), opts=opts)
    st.set_all_config({k: auto.ConfigValue(v, secret=True) for k, v in secret_values(program).items()})

    before = _counts(retool_emulator)
    retool_emulator.clear_requests()
    up = st.up()
    requests = retool_emulator.requests()
    writes = [(r["method"], r["path"]) for r in requests if r["method"] != "GET"]
    by_method = Counter(r["method"] for r in requests)
    print("requests during the adopting up:", dict(by_method))
    print("writes:", writes)

    creating = [w for w in writes if w[0] == "POST" and CREATING.match(w[1])]
    assert creating == [], f"the adopting up created objects: {creating}"
    assert _counts(retool_emulator) == before, "the adopting up changed the number of objects"
    # Every declaration is new to the stack (plus the stack itself), yet none was created in Retool.
    assert up.summary.resource_changes.get("create", 0) == len(program.declarations) + 1
    # The only writes re-send what Retool cannot return: secrets (and singletons, which the engine
    # always re-applies on adoption).
    allowed = re.compile(
        r"^(PATCH /api/v2/resources/[^/]+|PATCH /api/v2/resource_configurations/[^/]+"
        r"|PUT /api/v2/configuration_variables/[^/]+|PUT /api/v2/source_control/config"
        r"|POST /api/v2/sso/config|PUT /api/v2/source_control/settings|PUT /api/v2/organization/ai_settings"
        r"|POST /api/v2/permissions/listObjects)$"
    )
    unexpected = [w for w in writes if not allowed.match(f"{w[0]} {w[1]}")]
    assert unexpected == [], f"unexpected writes during the adopting up: {unexpected}"

    assert changes(st.preview().change_summary) == {}, "the adopted stack must preview clean"
    assert changes(st.refresh().summary.resource_changes) == {}, "refresh must find nothing changed"
    assert changes(st.preview().change_summary) == {}
    state = json.dumps(export_state(st))
    for secret in SECRETS:
        assert secret not in state, "a secret is in plaintext in the state"
