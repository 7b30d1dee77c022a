"""Details of single types, each stated independently of its type file: the defaults a group
gets, the options each resource type takes (from the spec's variants), every AI switch, the
source control settings a delete restores (Terraform's), the form of
emails and user ids, and a secret variable's default value kept out of check failures."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import check, checked, create, with_provider_key

from retool_pulumi.emulator import Emulator
from retool_pulumi.openapi import request_schema


def test_a_group_gets_every_access_default(em: Emulator) -> None:
    assert checked("Group", {"name": "g"}) == {
        "name": "g",
        "universal_app_access": "none",
        "universal_resource_access": "none",
        "universal_workflow_access": "none",
        "universal_query_library_access": "none",
        "user_list_access": False,
        "audit_log_access": False,
        "unpublished_release_access": False,
        "usage_analytics_access": False,
        "theme_access": False,
        "account_details_access": False,
    }


def _variants() -> dict[str, list[str]]:
    """Resource type -> the required options of its variant in the spec, by the variant's title."""
    titles = {
        "azureBlob": "Azure Blob Options",
        "postgresql": "Postgres Options",
        "mysql": "MySQL Options",
        "redshift": "Redshift Options",
        "snowflake": "Snowflake Options",
        "restapi": "Rest API Options",
        "grpc": "gRPC Options",
    }
    variants = request_schema("/resources", "post")["properties"]["options"]["anyOf"]
    by_title = {v.get("title"): v for v in variants}
    found = {kind: sorted(by_title[title].get("required", [])) for kind, title in titles.items()}
    return {kind: required for kind, required in found.items() if required}  # gRPC requires nothing


@pytest.mark.parametrize(("resource_type", "required"), sorted(_variants().items()))
def test_each_resource_type_takes_the_options_of_its_variant(
    em: Emulator, resource_type: str, required: list[str]
) -> None:
    result = check("Resource", {"type": resource_type, "display_name": "r", "options": {}})
    reasons = {f.property: f.reason for f in result.failures}
    assert "options" in reasons and required[0] in reasons["options"], reasons


def test_options_of_a_type_without_a_variant_must_be_an_object(em: Emulator) -> None:
    assert check("Resource", {"type": "sqs", "display_name": "q", "options": {"any": 1}}).failures == []
    result = check("Resource", {"type": "sqs", "display_name": "q", "options": ["a"]})
    assert "options" in {f.property for f in result.failures}


def test_every_ai_switch_is_set(em: Emulator) -> None:
    switches = {
        "retool_ai": False,
        "retool_ai_actions": False,
        "retool_vector": False,
        "retool_ask_ai": False,
    }
    p, inputs, created = create("AiSettings", switches)
    assert em.store.dump()["singletons"]["ai_settings"] == {
        "retoolAI": False,
        "retoolAIActions": False,
        "retoolVector": False,
        "retoolAskAI": False,
    }
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs


# What Terraform's provider puts back when its settings resource is destroyed (the last PUT of
# ../shared/retool-api/recordings/TestAccSourceControlSettings.yaml).
RESET_SETTINGS = {
    "auto_branch_naming_enabled": True,
    "auto_cleanup_branches_enabled": False,
    "custom_pull_request_template": "",
    "custom_pull_request_template_enabled": False,
    "force_uuid_mapping": False,
    "version_control_locked": False,
}


def test_deleting_source_control_settings_restores_the_defaults(em: Emulator) -> None:
    p, _, created = create(
        "SourceControlSettings",
        {
            "auto_branch_naming_enabled": False,
            "custom_pull_request_template_enabled": True,
            "custom_pull_request_template": "t",
            "version_control_locked": True,
            "force_uuid_mapping": True,
            "auto_cleanup_branches_enabled": True,
        },
    )
    p.delete(created.id, with_provider_key(created.outs))
    assert {k: em.store.source_control_settings[k] for k in RESET_SETTINGS} == RESET_SETTINGS


FORMS = [
    ("User", "email", "ada@example.com", "ada.example.com"),
    ("UserInvite", "email", "ada@example.com", "ada"),
    ("GroupMember", "user_id", "user_0a1b2c", "ada"),
    ("GroupMember", "group_id", "12", "twelve"),
    ("UserAttributeValue", "user_id", "user_0a1b2c", "12"),
]


@pytest.mark.parametrize(("kind", "field", "good", "bad"), FORMS)
def test_ids_and_emails_must_have_their_form(
    em: Emulator, kind: str, field: str, good: Any, bad: Any
) -> None:
    assert field in {f.property for f in check(kind, {field: bad}).failures}
    assert field not in {f.property for f in check(kind, {field: good}).failures}


def test_a_user_attribute_label_and_name_have_bounds(em: Emulator) -> None:
    assert "name" not in {f.property for f in check("UserAttribute", {"name": "a" * 255}).failures}
    assert "name" in {f.property for f in check("UserAttribute", {"name": "a" * 256}).failures}


def test_a_secret_variables_default_value_is_not_echoed(em: Emulator) -> None:
    result = check(
        "ConfigurationVariable", {"name": "K", "secret": True, "values": [], "default_value": 42.5}
    )
    reasons = {f.property: f.reason for f in result.failures}
    assert "default_value" in reasons and "42.5" not in reasons["default_value"]


def test_a_role_grant_to_a_user_needs_a_user_id(em: Emulator) -> None:
    result = check("RoleGrant", {"role_id": "r", "subject_type": "user", "subject_id": "12"})
    reasons = {f.property: f.reason for f in result.failures}
    assert reasons["subject_id"].startswith("RoleGrant.subject_id: a user id looks like user_<hex>"), reasons


@pytest.mark.parametrize(
    ("kind", "bad"), [("GroupMember", "12/"), ("GroupMember", "12"), ("UserAttributeValue", "/x")]
)
def test_a_joined_id_of_the_wrong_form_is_an_error_naming_the_form(em: Emulator, kind: str, bad: str) -> None:
    from retool_pulumi.engine import RetoolProvider
    from retool_pulumi.errors import RetoolError

    with pytest.raises(RetoolError, match="is not of the form"):
        RetoolProvider(kind).read(bad, {})
    assert em.requests() == []


def test_a_fractional_group_id_is_refused_not_rounded(em: Emulator) -> None:
    result = check("GroupMember", {"group_id": 12.5, "user_id": "user_0a1b2c"})
    assert "group_id" in {f.property for f in result.failures}
    assert checked("GroupMember", {"group_id": 12.0, "user_id": "user_0a1b2c"})["group_id"] == "12"


def test_token_scopes_listed_in_another_order_are_no_change(em: Emulator) -> None:
    p, inputs, created = create("AccessToken", {"label": "ci", "scopes": ["apps:read", "apps:write"]})
    stored = dict(em.store.access_tokens[created.id])
    data = {k: v for k, v in stored.items() if not k.startswith("_")}
    data["scopes"] = ["apps:write", "apps:read"]
    answer = {"status": 200, "body": {"success": True, "data": data}}
    em.set_faults(canned_answers={f"GET /access_tokens/{created.id}": answer})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["scopes"] == ["apps:read", "apps:write"]
    assert p.diff(created.id, read.outs, inputs).changes is False
