"""What each type declares, stated here independently of the type files, so that a slip in one
(a lost REPLACE marker, an output or a natural-key field dropped) fails here, checked through
the provider where that is cheap: which field changes replace the object (diff), which outputs
Retool computes, and how a create whose answer was lost is settled."""

from __future__ import annotations

import pytest
from types_support import with_provider_key

from retool_pulumi.engine import RetoolProvider, all_specs, spec_for

REPLACED_BY = {
    "AccessToken": {"description", "label", "scopes"},
    "CustomComponentLibrary": {"description", "label", "name"},
    "Folder": {"folder_type"},
    "GroupMember": {"group_id", "user_id"},
    "Permission": {"app_id", "object_id", "object_type", "subject_id", "subject_type"},
    "Resource": {"type"},
    "ResourceConfiguration": {"environment_id", "resource_id"},
    "RoleGrant": {"object_id", "object_type", "role_id", "subject_id", "subject_type"},
    "Space": {
        "copy_branding_and_themes_settings",
        "copy_sso_settings",
        "create_admin_user",
        "users_to_copy_as_admins",
    },
    "User": {"email"},
    "UserAttribute": {"name"},
    "UserAttributeValue": {"attribute_name", "user_id"},
    "UserInvite": {"email"},
}
OUTPUTS = {
    "AccessToken": {"access_token", "last4", "owner_legacy_id", "created_at", "updated_at"},
    "AppTheme": {"legacy_id", "created_at", "updated_at"},
    "CustomComponentLibrary": {"created_at", "updated_at"},
    "Environment": {"default", "created_at", "updated_at"},
    "Folder": {"legacy_id", "is_system_folder", "created_at", "updated_at"},
    "Group": {"legacy_id", "created_at", "updated_at"},
    "OrganizationSettings": {"organization_id"},
    "Resource": {"protected", "folder_id", "created_at", "updated_at"},
    "ResourceConfiguration": {"created_at", "updated_at"},
    "Role": {
        "organization_id",
        "is_default_role",
        "is_legacy_role",
        "added_dependent_scopes",
        "created_at",
        "updated_at",
    },
    "RoleGrant": {"created_at"},
    "Space": {"created_at", "updated_at"},
    "User": {"legacy_id", "is_admin", "created_at", "two_factor_auth_enabled"},
    "UserAttribute": {"intercom_attribute_name"},
    "UserInvite": {
        "invite_link",
        "expires_at",
        "invited_by",
        "claimed_by",
        "claimed_at",
        "user_type",
        "created_at",
    },
}
# How a create whose answer was lost is settled: the fields it is looked up by, else how.
NATURAL_KEYS = {
    "AppTheme": ("name",),
    "ConfigurationVariable": ("name",),
    "CustomComponentLibrary": ("name",),
    "Environment": ("name",),
    "Folder": ("name", "folder_type", "parent_folder_id"),
    "Group": ("name",),
    "ObservabilityConfig": ("config",),
    "Resource": ("display_name", "type"),
    "ResourceConfiguration": ("resource_id", "environment_id"),
    "Role": ("name",),
    "RoleGrant": ("role_id", "subject_type", "subject_id", "object_type", "object_id"),
    "Space": ("domain",),
    "User": ("email",),
    "UserAttribute": ("name",),
    "UserInvite": ("email",),
}
REPEATABLE = {"GroupMember", "Permission", "UserAttributeValue"}
SINGLETONS = {"AiSettings", "OrganizationSettings", "SourceControl", "SourceControlSettings", "SsoConfig"}
RETURNED_ONCE = {"AccessToken": ("access_token",)}
# Listings that carry every field of the item's GET (a refresh may read them from one listing).
BATCH_READS = {"ConfigurationVariable", "Environment", "Folder", "Group", "Resource", "Space"}
MANAGED_WHEN_NONE = {
    "Folder": ("parent_folder_id",),
    "Group": ("landing_page_app_id",),
    "RoleGrant": ("object_type", "object_id"),
}
WRITE_ONLY = {
    "Resource": ("options",),
    "Space": (
        "copy_sso_settings",
        "copy_branding_and_themes_settings",
        "users_to_copy_as_admins",
        "create_admin_user",
    ),
}
KINDS = sorted(spec.kind for spec in all_specs())


@pytest.mark.parametrize("kind", KINDS)
def test_exactly_the_declared_fields_replace_the_object(kind: str) -> None:
    provider = RetoolProvider(kind)
    replaced = set()
    for field in spec_for(kind).fields:
        diff = provider.diff("x", with_provider_key({field: "old"}), {field: "new"})
        assert diff.changes is True, (kind, field)
        replaced.update(diff.replaces)
    assert replaced == REPLACED_BY.get(kind, set())


def test_the_outputs_retool_computes() -> None:
    assert {s.kind: set(s.outputs) for s in all_specs() if s.outputs} == OUTPUTS


def test_how_each_type_settles_a_create_whose_answer_was_lost() -> None:
    specs = all_specs()
    assert {s.kind: s.natural_key for s in specs if s.natural_key} == NATURAL_KEYS
    assert {s.kind for s in specs if s.create_repeatable} == REPEATABLE
    assert {s.kind for s in specs if s.singleton} == SINGLETONS
    assert {s.kind: s.returned_once for s in specs if s.returned_once} == RETURNED_ONCE


def test_reads_and_fields_kept_as_declared() -> None:
    specs = all_specs()
    assert {s.kind for s in specs if s.batch_reads} == BATCH_READS
    assert {s.kind: s.managed_when_none for s in specs if s.managed_when_none} == MANAGED_WHEN_NONE
    assert {s.kind: s.write_only for s in specs if s.write_only} == WRITE_ONLY
