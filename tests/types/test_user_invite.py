"""UserInvite at the provider level, against the emulator."""

from __future__ import annotations

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, spec_for

KIND = "UserInvite"


def _groups(retool: RetoolClient) -> tuple[int, int]:
    return int(retool.post("/groups", json={"name": "A"})["id"]), int(
        retool.post("/groups", json={"name": "B"})["id"]
    )


def test_check_names_a_bad_email_and_group_id(em: Emulator) -> None:
    reasons = failures(
        KIND, {"email": "not-an-email", "default_group_ids": ["ops"], "metadata": {"level": 2}}
    )
    assert set(reasons) == {"email", "default_group_ids", "metadata"}
    assert "metadata.level" in reasons["metadata"] and "string" in reasons["metadata"]
    assert "'not-an-email'" in reasons["email"]
    assert "default_group_ids[0]" in reasons["default_group_ids"]
    # Group ids may come as text (a Group's id output) or floats (the engine): stored as a set of numbers.
    assert checked(KIND, {"email": "a@example.com", "default_group_ids": ["7", 3.0, 7]})[
        "default_group_ids"
    ] == [3, 7]
    assert em.requests() == []


def test_email_replaces_groups_and_metadata_update(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, {"email": "a@example.com", "default_group_ids": [1]}))
    assert p.diff(
        "1", olds, checked(KIND, {"email": "b@example.com", "default_group_ids": [1]})
    ).replaces == ["email"]
    d = p.diff(
        "1",
        olds,
        checked(KIND, {"email": "a@example.com", "default_group_ids": [1, 2], "metadata": {"x": "1"}}),
    )
    assert d.changes is True and d.replaces == []


def test_the_invite_link_is_a_secret_output(em: Emulator) -> None:
    assert "invite_link" in spec_for(KIND).secret_outputs


def test_create_read_update_delete(em: Emulator, retool: RetoolClient) -> None:
    a, b = _groups(retool)
    em.clear_requests()
    p, inputs, created = create(
        KIND, {"email": "new@example.com", "default_group_ids": [str(a)], "metadata": {"team": "x"}}
    )
    assert writes(em) == ["POST /user_invites"]
    assert created.outs["invite_link"].startswith("https://")
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /user_invites/{created.id}"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False

    news = checked(KIND, {"email": "new@example.com", "default_group_ids": [b], "metadata": {"level": "2"}})
    em.clear_requests()
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert sorted(writes(em)) == sorted(
        [
            f"POST /groups/{b}/user_invites",
            f"DELETE /groups/{a}/user_invites/{created.id}",
            f"DELETE /user_invites/{created.id}/user_attributes/team",
            f"POST /user_invites/{created.id}/user_attributes",
        ]
    )
    assert updated.outs["default_group_ids"] == [b] and updated.outs["metadata"] == {"level": "2"}
    read = p.read(created.id, with_provider_key(updated.outs))
    assert read.inputs == news

    p.delete(created.id, with_provider_key(updated.outs))
    assert int(created.id) not in em.store.user_invites
    assert p.read(created.id, with_provider_key(updated.outs)).id == ""
    p.delete(created.id, with_provider_key(updated.outs))


def test_a_group_left_in_retool_is_drift_and_undeclared_fields_are_not_managed(
    em: Emulator, retool: RetoolClient
) -> None:
    a, b = _groups(retool)
    p, inputs, created = create(KIND, {"email": "new@example.com", "default_group_ids": [a]})
    retool.post(f"/groups/{b}/user_invites", json={"userInviteIds": [int(created.id)]})
    retool.post(f"/user_invites/{created.id}/user_attributes", json={"name": "x", "value": "y"})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "default_group_ids": [a, b]}  # metadata is not declared: left alone
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_group_ids_as_the_engine_sends_them_are_integers_to_retool(
    em: Emulator, retool: RetoolClient
) -> None:
    a, _b = _groups(retool)
    p, inputs, created = create(KIND, {"email": "new@example.com", "default_group_ids": [a]})
    as_sent = {
        **inputs,
        "default_group_ids": [float(a)],
        "metadata": {"level": "2"},
    }  # numbers arrive as floats
    em.clear_requests()
    p.update(created.id, with_provider_key({**created.outs, "default_group_ids": [float(a)]}), as_sent)
    assert writes(em) == [f"POST /user_invites/{created.id}/user_attributes"]  # group a is already there
    assert em.store.user_invites[int(created.id)]["metadata"] == {"level": "2"}
