"""The shortest value each text field takes, stated independently of the type files: one shorter
is refused by check naming the field, before any request; that length itself passes."""

from __future__ import annotations

import pytest
from types_support import check

from retool_pulumi.emulator import Emulator

MIN_LENGTHS = {
    ("AccessToken", "label"): 2,
    ("AccessToken", "scopes"): 1,
    ("AppTheme", "name"): 1,
    ("ConfigurationVariable", "name"): 1,
    ("CustomComponentLibrary", "name"): 1,
    ("CustomComponentLibrary", "label"): 1,
    ("Environment", "name"): 1,
    ("Folder", "name"): 1,
    ("Group", "name"): 1,
    ("Permission", "subject_id"): 1,
    ("Permission", "object_id"): 1,
    ("Resource", "display_name"): 1,
    ("ResourceConfiguration", "resource_id"): 1,
    ("ResourceConfiguration", "environment_id"): 1,
    ("Role", "name"): 1,
    ("RoleGrant", "role_id"): 1,
    ("RoleGrant", "subject_id"): 1,
    ("RoleGrant", "object_type"): 1,
    ("RoleGrant", "object_id"): 1,
    ("SourceControl", "org"): 1,
    ("SourceControl", "repo"): 1,
    ("SourceControl", "default_branch"): 1,
    ("Space", "name"): 1,
    ("Space", "domain"): 1,
    ("User", "first_name"): 1,
    ("User", "last_name"): 1,
    ("UserAttribute", "name"): 1,
    ("UserAttribute", "label"): 2,
    ("UserAttributeValue", "attribute_name"): 1,
}
LISTS = {("AccessToken", "scopes")}


def _value(kind: str, field: str, length: int) -> object:
    return ["apps:read"] * length if (kind, field) in LISTS else "a" * length


@pytest.mark.parametrize(("kind", "field"), sorted(MIN_LENGTHS))
def test_one_shorter_than_the_minimum_is_refused(em: Emulator, kind: str, field: str) -> None:
    result = check(kind, {field: _value(kind, field, MIN_LENGTHS[kind, field] - 1)})
    reasons = {f.property: f.reason for f in result.failures}
    assert field in reasons and "at least" in reasons[field], reasons.get(field)
    assert em.requests() == []


@pytest.mark.parametrize(("kind", "field"), sorted(MIN_LENGTHS))
def test_the_minimum_length_passes(em: Emulator, kind: str, field: str) -> None:
    result = check(kind, {field: _value(kind, field, MIN_LENGTHS[kind, field])})
    assert field not in {f.property for f in result.failures}
