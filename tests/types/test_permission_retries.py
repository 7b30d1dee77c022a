"""Permission reads (POST /permissions/listObjects) and revokes are safe to repeat: a refusal is
retried by the client, as for any read or delete, not reported as a failure."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import create, with_provider_key

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from tests.reliability.every_type import Aim


@pytest.fixture
def grant(em: Emulator, retool: RetoolClient) -> dict[str, Any]:
    group = retool.post("/groups", json={"name": "Analysts"})
    folder = retool.post("/folders", json={"name": "Reports", "folder_type": "app"})
    return {
        "subject_type": "group",
        "subject_id": str(group["id"]),
        "object_type": "folder",
        "object_id": folder["id"],
        "access_level": "use",
    }


def test_a_refused_permission_read_and_revoke_are_sent_again(
    em: Emulator, grant: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    p, _, created = create("Permission", grant)
    aim = Aim(em, monkeypatch)
    aim.refuse_next()
    read = p.read(created.id, with_provider_key(created.outs))
    assert aim.hits == 1 and read.id == created.id
    aim.refuse_next()
    p.delete(created.id, with_provider_key(created.outs))
    assert aim.hits == 2
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
