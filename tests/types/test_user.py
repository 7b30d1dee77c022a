"""User at the provider level, against the emulator."""

from __future__ import annotations

import pytest
from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN
from retool_pulumi.errors import BadRequestError
from retool_pulumi.types import User

KIND = "User"
ADA = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}


def test_check_names_the_email_and_its_pattern(em: Emulator) -> None:
    reasons = failures(KIND, {**ADA, "email": "ada.example.com"})
    assert set(reasons) == {"email"} and "pattern" in reasons["email"]
    assert em.requests() == []


def test_check_names_the_user_type_and_its_allowed_values(em: Emulator) -> None:
    reasons = failures(KIND, {**ADA, "user_type": "robot"})
    assert "'default', 'mobile' or 'embed'" in reasons["user_type"]
    assert set(failures(KIND, {"email": "a@b.co"})) == {"first_name", "last_name"}
    assert em.requests() == []


def test_check_accepts_floats_for_integers_in_metadata(em: Emulator) -> None:
    inputs = checked(KIND, {**ADA, "metadata": {"employee_no": 42.0, "ratio": 0.5}})
    assert inputs["metadata"] == {"employee_no": 42, "ratio": 0.5}
    assert isinstance(inputs["metadata"]["employee_no"], int)


def test_email_replaces_while_names_update_in_place(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, ADA))
    assert p.diff("u", olds, checked(KIND, {**ADA, "email": "ada@other.org"})).replaces == ["email"]
    d = p.diff("u", olds, checked(KIND, {**ADA, "first_name": "Augusta"}))
    assert d.changes is True and d.replaces == []
    d = p.diff("u", olds, checked(KIND, {**ADA, "email": UNKNOWN}))
    assert d.changes is True and d.replaces == ["email"]


def test_removing_a_metadata_key_is_a_change(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, {**ADA, "metadata": {"team": "math", "floor": 2}}))
    news = checked(KIND, {**ADA, "metadata": {"team": "math"}})
    assert RetoolProvider(KIND).diff("u", olds, news).changes is True
    same = checked(KIND, {**ADA, "metadata": {"floor": 2.0, "team": "math"}})
    assert RetoolProvider(KIND).diff("u", olds, same).changes is False


def test_create_is_one_post_and_read_back_has_no_diff(em: Emulator) -> None:
    p, inputs, created = create(KIND, {**ADA, "metadata": {"team": "math"}})
    assert calls(em) == ["POST /users"]
    for output in ("legacy_id", "is_admin", "created_at", "two_factor_auth_enabled"):
        assert output in created.outs
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /users/{created.id}"]
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_name_and_metadata_changed_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, {**ADA, "metadata": {"team": "math"}})
    retool.patch(
        f"/users/{created.id}",
        json={
            "operations": [
                {"op": "replace", "path": "/last_name", "value": "King"},
                {"op": "replace", "path": "/metadata", "value": {"team": "math", "floor": 3}},
            ]
        },
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["last_name"] == "King"
    assert read.inputs["metadata"] == {"team": "math", "floor": 3}
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, inputs)
    user = em.store.users[created.id]
    assert user["last_name"] == "Lovelace" and user["metadata"] == {"team": "math"}


def test_update_patches_only_the_changed_field(em: Emulator) -> None:
    p, _inputs, created = create(KIND, ADA)
    em.clear_requests()
    p.update(created.id, with_provider_key(created.outs), checked(KIND, {**ADA, "first_name": "Augusta"}))
    assert writes(em) == [f"PATCH /users/{created.id}"]
    assert em.store.users[created.id]["first_name"] == "Augusta"


def test_delete_disables_the_user(em: Emulator) -> None:
    p, _, created = create(KIND, ADA)
    p.delete(created.id, with_provider_key(created.outs))
    assert writes(em)[-1] == f"DELETE /users/{created.id}"
    assert em.store.users[created.id]["active"] is False
    assert "*disables* the user" in (User.__doc__ or "")


def test_read_of_an_unknown_user_returns_an_empty_id_and_delete_tolerates_404(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    props = with_provider_key(checked(KIND, ADA))
    assert p.read("user_0000", props).id == ""
    p.delete("user_0000", props)


def test_adopt_id_takes_over_the_seeded_admin(em: Emulator) -> None:
    admin = em.store.admin_user_id
    p = RetoolProvider(KIND)
    inputs = {**checked(KIND, {"email": "admin@example.com", "first_name": "Root", "last_name": "User"})}
    created = p.create({**inputs, "adopt_id": admin})
    assert created.id == admin
    assert "POST /users" not in calls(em)
    assert em.store.users[admin]["first_name"] == "Root"


def test_ambiguous_create_finds_the_applied_user_by_email(em: Emulator) -> None:
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(checked(KIND, ADA))
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /users"]
    assert [u["id"] for u in em.store.users.values() if u["email"] == ADA["email"]] == [created.id]


def test_update_sends_only_top_level_replaces_of_whole_fields(em: Emulator, bodies: BodySpy) -> None:
    # Issue #11 item 6: PATCH /users takes add / remove / replace of top-level fields; a JSON
    # Patch diff of metadata would send `move` (a renamed key) and `/metadata/<key>` paths.
    p, _inputs, created = create(KIND, {**ADA, "active": True, "metadata": {"team": "math", "floor": 2}})
    outs = with_provider_key(created.outs)
    renamed = checked(KIND, {**ADA, "active": True, "metadata": {"group": "math", "floor": 3}})
    outs = with_provider_key(p.update(created.id, outs, renamed).outs)
    nested = checked(KIND, {**ADA, "active": True, "metadata": {"group": "math", "floor": {"n": 3}}})
    outs = with_provider_key(p.update(created.id, outs, nested).outs)
    cleared = checked(KIND, ADA)  # no metadata, no `active`
    p.update(created.id, outs, cleared)
    sent = [{"group": "math", "floor": 3}, {"group": "math", "floor": {"n": 3}}, {}]
    assert bodies.bodies("PATCH") == [
        {"operations": [{"op": "replace", "path": "/metadata", "value": value}]} for value in sent
    ]
    user = em.store.users[created.id]
    assert user["metadata"] == {} and user["active"] is True


def test_emulator_refuses_what_production_refuses_in_a_user_patch(em: Emulator, retool: RetoolClient) -> None:
    _, _, created = create(KIND, {**ADA, "metadata": {"team": "math"}})
    for op in (
        {"op": "move", "from": "/metadata/team", "path": "/metadata/group"},
        {"op": "add", "path": "/metadata/floor", "value": 3},
    ):
        with pytest.raises(BadRequestError, match=r"operations\[0\]"):
            retool.patch(f"/users/{created.id}", json={"operations": [op]})
    assert em.store.users[created.id]["metadata"] == {"team": "math"}
