"""The pickled provider Pulumi stores in every resource's state (`__provider`), for all 12 types."""

from __future__ import annotations

import base64

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from retool_pulumi import connection
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, all_specs

KINDS = sorted(spec.kind for spec in all_specs())


CORE = {
    "ConfigurationVariable",
    "Environment",
    "Folder",
    "Group",
    "Permission",
    "Resource",
    "ResourceConfiguration",
    "SourceControl",
    "SourceControlSettings",
    "Space",
    "SsoConfig",
    "User",
}


def test_the_twelve_core_types_are_registered() -> None:
    assert CORE <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_pickled_provider_is_tiny_and_holds_no_token(em: Emulator, kind: str) -> None:
    provider = RetoolProvider(kind)
    assert provider.spec.kind == kind
    connection.get_client()  # a live shared client (holding the token) exists while pickling
    pickled = serialize_provider(provider)
    assert len(pickled) < 1024, len(pickled)
    raw = base64.b64decode(pickled)
    assert em.token.encode() not in raw
    assert em.host.encode() not in raw
    assert b"RetoolClient" not in raw and b"httpx" not in raw
