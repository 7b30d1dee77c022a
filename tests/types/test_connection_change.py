"""Moving an object to another connection (another Retool) replaces it: an update would send the
old id to a Retool that never made it, and leave the object behind in the first one."""

from __future__ import annotations

import pytest
from types_support import with_provider_key

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, all_specs

KINDS = sorted(spec.kind for spec in all_specs())
UNIQUE_KEYS = {"Space", "UserAttribute"}  # a space's domain, a user attribute's name


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("old", "new"), [("eu", "us"), (None, "us"), ("eu", None)])
def test_a_changed_connection_replaces_the_object(
    em: Emulator, kind: str, old: str | None, new: str | None
) -> None:
    olds = with_provider_key({} if old is None else {"connection": old})
    news = {} if new is None else {"connection": new}
    diff = RetoolProvider(kind).diff("id-1", olds, news)
    assert diff.changes is True
    assert "connection" in diff.replaces
    # Only objects whose key Retool keeps unique go before their replacement is made.
    assert diff.delete_before_replace is (kind in UNIQUE_KEYS)
    assert em.requests() == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_connection_is_no_change(em: Emulator, kind: str) -> None:
    diff = RetoolProvider(kind).diff("id-1", with_provider_key({"connection": "eu"}), {"connection": "eu"})
    assert diff.changes is False and diff.replaces == []
