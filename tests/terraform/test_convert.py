"""`convert_state`: the program converted from a state holding every one of the twelve resource
types of Retool's Terraform provider (names, adopt ids, references, values, secrets, what is
not carried over, the hand-over note), without Retool."""

from __future__ import annotations

import ast
import copy
import json
from collections import Counter
from typing import Any

from retool_pulumi.export.program import Ref, Secret
from retool_pulumi.terraform import MigratedProgram, convert_state, parse_state
from tests.export.export_support import ruff_format_diff
from tests.terraform.terraform_support import ORG_STATE, STATE_SECRETS

DB = "0b7c6d5e-4f3a-4b2c-9d1e-8f7a6b5c4d3e"


def _state() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ORG_STATE.read_text())
    return data


def _convert(state: dict[str, Any]) -> MigratedProgram:
    return convert_state(parse_state(state), state_path=ORG_STATE)


def _decl(program: MigratedProgram, name: str, kind: str = "") -> Any:
    return next(d for d in program.declarations if d.resource_name == name and (not kind or d.kind == kind))


def _resource(state: dict[str, Any], tf_type: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in state["resources"] if r["type"] == tf_type and r["name"] == name)
    return found


def test_every_type_is_declared_under_its_terraform_name_adopting_its_id() -> None:
    program = convert_state(ORG_STATE)
    ast.parse(program.code)
    assert Counter(d.kind for d in program.declarations) == {
        "Environment": 3,
        "Folder": 6,
        "Group": 3,
        "User": 4,
        "Space": 1,
        "Resource": 3,
        "ResourceConfiguration": 3,
        "ConfigurationVariable": 2,
        "Permission": 7,  # one per grant of the four retool_permissions instances
        "SsoConfig": 1,
        "SourceControl": 1,
        "SourceControlSettings": 1,
    }
    state = _state()
    ids = {
        (r["type"], r.get("module", ""), r["name"], inst.get("index_key")): inst["attributes"].get("id")
        for r in state["resources"]
        if r["mode"] == "managed"
        for inst in r["instances"]
    }
    assert _decl(program, 'teams["east"]', "Group").adopt_id == ids[("retool_group", "", "teams", "east")]
    assert _decl(program, "team_folders[0]").adopt_id == "app_135"
    assert _decl(program, "module.reporting.archive").adopt_id == "app_137"
    assert _decl(program, "ada").adopt_id == ids[("retool_user", "", "ada", None)]
    assert _decl(program, 'orders_api_regions["us"]').adopt_id == "5e2b1c0d-9e8f-4a7b-8c6d-3e2f1a0b9c8d"
    assert _decl(program, "analysts_access/folder/app_132").adopt_id == "group/65/folder/app_132"
    assert _decl(program, 'team_access["west"]/folder/app_136').adopt_id == "group/67/folder/app_136"
    for singleton in ("sso", "scm", "settings"):
        assert _decl(program, singleton).adopt_id is None
    for decl in program.declarations:
        assert decl.comment.startswith(("retool_", "module.reporting.retool_")), decl.comment
    # Everything moved; the README removes exactly that from the Terraform state.
    assert program.kept == []
    managed = [f"{a}" for a in (i.address for i in parse_state(state) if i.mode == "managed")]
    assert sorted(program.moved) == sorted(a for a in managed if a.split(".")[-2] != "random_password")
    assert "terraform state rm 'retool_group.teams[\"east\"]'" in program.readme()
    assert "terraform state rm module.reporting.retool_folder.archive" in program.readme()
    # Adopted, not owned: every declaration is retained on delete (the protected ones too).
    assert program.code.count("opts=ADOPTED") + program.code.count("opts=PROTECTED") == len(
        program.declarations
    )
    assert "ADOPTED = pulumi.ResourceOptions(retain_on_delete=True)" in program.code


def test_references_between_converted_objects_are_rebuilt() -> None:
    program = convert_state(ORG_STATE)
    code = program.code
    assert "parent_folder_id=folder_reports.id" in code
    assert "subject_id=group_analysts.id" in code
    assert "subject_id=group_teams_east.id" in code
    assert "subject_id=user_contractors_0.id" in code
    assert "object_id=folder_team_folders_1.id" in code
    assert "object_id=resource_orders_db.id" in code
    assert "object_id=resource_configuration_orders_db_qa.id" in code
    assert "resource_id=resource_orders_api.id" in code
    assert "environment_id=environment_regions_eu.id" in code
    assert '"environment_id": environment_qa.id' in code
    # Ids of objects the state does not manage stay ids: the default environment, an app.
    assert '"environment_id": "9a3f1c2e-4b5d-4e6f-8a7b-0c1d2e3f4a5b"' in code
    assert 'object_id="8c5d4e3f-2a1b-4c0d-9e7f-6a5b4c3d2e1f"' in code
    # The root folder ("ROOT" in Terraform) is no parent at all.
    assert "parent_folder_id" not in _decl(program, "reports").args
    assert _decl(program, "q1").args["parent_folder_id"] == Ref("folder_reports")


def test_values_are_taken_from_the_state() -> None:
    program = convert_state(ORG_STATE)
    west = _decl(program, 'teams["west"]', "Group").args
    assert west["universal_workflow_access"] == "edit"
    assert west["universal_query_library_access"] == "use"
    assert _decl(program, "ada").args["metadata"] == {"department": "engineering"}
    space = _decl(program, "team").args
    assert space["copy_sso_settings"] is True
    assert space["users_to_copy_as_admins"] == ["ada@example.com"]
    sso = _decl(program, "sso").args
    assert sso["config_type"] == "google & oidc"
    assert sso["roles_mapping"] == "admin->retool-admins"
    assert sso["restricted_domain"] == "example.com,example.org"
    assert sso["jit_enabled"] is True and sso["disable_email_password_login"] is False
    scm = _decl(program, "scm").args
    assert scm["provider"] == "GitHub" and scm["repo_version"] == "2.0.0"
    assert scm["config"]["type"] == "App" and scm["config"]["installation_id"] == "7654321"
    settings = _decl(program, "settings").args
    assert settings["custom_pull_request_template"] == "Describe the change"
    plain = _decl(program, "api_base").args
    assert [v["value"] for v in plain["values"]] == ["https://api.example.com", "https://qa.api.example.com"]


def test_secrets_are_config_references_whose_values_never_reach_a_file() -> None:
    program = convert_state(ORG_STATE)
    for text in program.files().values():
        for secret in STATE_SECRETS:
            assert secret not in text
    for secret in STATE_SECRETS:
        assert secret not in repr(program)
    assert (
        program.secret_values["resource-orders-db-options"]
        == _resource(_state(), "retool_resource", "orders_db")["instances"][0]["attributes"]["options"]
    )
    assert program.secret_values["configuration-variable-api-key-qa"] == "tf-var-qa-5c4b"
    assert program.secret_values["sso-config-sso-oidc-client-secret"] == "tf-oidc-secret-4d5e"
    assert program.secret_values["source-control-scm-github-app-authentication-private-key"] == (
        "tf-gh-private-key-6f7a"
    )
    assert isinstance(_decl(program, "orders_db").args["options"], Secret)
    assert _decl(program, "orders_db").args["options"].whole_object
    # A ready command for every value the state holds; the others have to be typed in.
    ready = {c.key for c in program.config if c.value_from}
    assert ready == set(program.secret_values)
    assert {c.key for c in program.config} - ready == {
        "resource-legacy-api-options",  # imported: Terraform never had the options
        "resource-configuration-orders-db-qa-options",  # the state holds Retool's mask
    }
    readme = program.readme()
    for key in program.config:
        assert key.command in readme and key.command in program.code
    assert f"retool-pulumi from-terraform {ORG_STATE} --secret resource-orders-db-options | " in readme
    assert "holds Retool\\'s mask in place of a secret" in readme


def test_what_is_not_carried_over_is_listed() -> None:
    program = convert_state(ORG_STATE)
    joined = "\n".join(program.unexpressed)
    assert 'retool_user.ada: `last_active` = "2026-02-03 10:00:00 +0000 UTC"' in joined
    assert "retool_sso.sso: `google.encrypted_client_secret` (" in joined
    assert "enc-v1" not in joined  # sensitive: named, not shown
    assert "Not carried over from the Terraform state" in program.readme()
    assert "retool\\_folder: `is_system_folder`, `legacy_id`: set by Retool" in program.readme()
    assert program.notes == [
        "data.retool_environments.all: a data source, ignored (nothing to move)",
        "random_password.db_password: not a Retool resource, left to Terraform",
    ]
    # An attribute this converter does not know (a newer provider) is listed, never dropped.
    state = _state()
    group = _resource(state, "retool_group", "analysts")["instances"][0]
    group["attributes"]["sso_group_mapping"] = "analysts-idp"
    group["attributes"]["api_secret"] = "tf-new-secret-9999"
    group["sensitive_attributes"] = [[{"type": "get_attr", "value": "api_secret"}]]
    again = _convert(state)
    assert any(
        u.startswith('retool_group.analysts: `sso_group_mapping` = "analysts-idp" (Group has no input')
        for u in again.unexpressed
    )
    assert "retool_group.analysts: `api_secret` (Group has no input for it)" in again.unexpressed
    assert "tf-new-secret-9999" not in again.readme()


def test_what_the_provider_check_rejects_is_noted_and_kept_in_terraform() -> None:
    state = _state()
    # A resource type POST /resources does not take, and a grant of an access level Retool lacks.
    db = _resource(state, "retool_resource", "orders_db")["instances"][0]["attributes"]
    db["type"] = "mongodb"
    access = _resource(state, "retool_permissions", "team_access")["instances"][0]["attributes"]
    access["permissions"].append(
        {"access_level": "owner", "object": {"app_id": None, "id": "app_132", "type": "folder"}}
    )
    program = _convert(state)
    assert any(n.startswith('Resource "retool_resource.orders_db" (id ') for n in program.notes)
    assert any("team_access" in n and "'owner'" in n for n in program.notes)
    assert sorted(program.kept) == ['retool_permissions.team_access["east"]', "retool_resource.orders_db"]
    readme = program.readme()
    assert "terraform state rm retool_resource.orders_db" not in readme
    assert "terraform state rm 'retool_permissions.team_access[\"east\"]'" not in readme
    assert "Kept in Terraform" in readme
    # What referred to the resource refers to it by id; its other grant is still declared.
    grant = _decl(program, f"analysts_access/resource/{DB}")
    assert grant.args["object_id"] == DB
    assert _decl(program, 'team_access["east"]/folder/app_135').adopt_id == "group/66/folder/app_135"
    # Its options are no longer asked for.
    assert "resource-orders-db-options" not in program.config_keys
    assert "resource-orders-db-options" not in program.secret_values


def test_a_refreshed_state_without_credentials_still_asks_for_them() -> None:
    state = _state()
    # After a refresh the provider clears source control credentials and keeps no SSO secret.
    scm = _resource(state, "retool_source_control", "scm")["instances"][0]["attributes"]
    scm["github"]["app_authentication"]["private_key"] = None
    sso = _resource(state, "retool_sso", "sso")["instances"][0]["attributes"]
    sso["oidc"]["client_secret"] = None
    program = _convert(state)
    keys = {c.key: c for c in program.config}
    assert not keys["source-control-scm-github-app-authentication-private-key"].value_from
    assert not keys["sso-config-sso-oidc-client-secret"].value_from
    assert "not in the Terraform state" in keys["sso-config-sso-oidc-client-secret"].description
    assert isinstance(_decl(program, "scm").args["config"]["private_key"], Secret)
    assert isinstance(_decl(program, "sso").args["oidc_client_secret"], Secret)


def test_the_program_is_formatted_and_deterministic() -> None:
    first = convert_state(ORG_STATE)
    assert ruff_format_diff(first.code) == ""
    assert convert_state(ORG_STATE).files() == first.files()
    shuffled = _state()
    shuffled["resources"].reverse()
    other = _convert(copy.deepcopy(shuffled))
    assert sorted(d.resource_name for d in other.declarations) == sorted(
        d.resource_name for d in first.declarations
    )
    assert len({d.var for d in first.declarations}) == len(first.declarations)
