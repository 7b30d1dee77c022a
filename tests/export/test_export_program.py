"""`retool_pulumi.export`: the generated program of an organisation with every exportable type
(compiles, formatted, stable names, no secret values, system objects referenced)."""

from __future__ import annotations

import ast
from collections import Counter

from retool_pulumi import export
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import spec_for
from retool_pulumi.export import export_program
from tests.export.export_support import SECRETS, _create, ruff_format_diff, secret_values


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
    assert ruff_format_diff(program.code) == ""
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


def test_types_that_cannot_be_listed_are_skipped_with_a_note(retool_client: RetoolClient) -> None:
    # GroupMember's collection lists groups, not memberships: the generic path must refuse it.
    exporter = export.Exporter(retool_client, None)
    exporter.generic(spec_for("GroupMember"))
    assert exporter.decls == []
    assert any(n.startswith("GroupMember: not exported") for n in exporter.notes)


def test_named_connection_is_passed_everywhere(seeded: dict[str, str], retool_client: RetoolClient) -> None:
    program = export_program(retool_client, connection="eu")
    ast.parse(program.code)
    assert 'CONNECTION = "eu"' in program.code
    assert 'retool.get_group("admin", connection=CONNECTION)' in program.code
    assert program.code.count("connection=CONNECTION,") == len(program.declarations)
