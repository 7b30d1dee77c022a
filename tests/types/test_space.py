"""Space at the provider level, against the emulator."""

from __future__ import annotations

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.emulator.backends.space import set_provisioning_reads
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "Space"
EU = {"name": "Europe", "domain": "eu.retool.example.com"}
WITH_OPTIONS = {**EU, "copy_sso_settings": True, "users_to_copy_as_admins": ["admin@example.com"]}


def test_check_names_the_wrongly_typed_creation_option(em: Emulator) -> None:
    reasons = failures(KIND, {**EU, "create_admin_user": "maybe"})
    assert set(reasons) == {"create_admin_user"} and "boolean" in reasons["create_admin_user"]
    reasons = failures(KIND, {**EU, "users_to_copy_as_admins": "admin@example.com"})
    assert "list" in reasons["users_to_copy_as_admins"]
    assert set(failures(KIND, {})) == {"name", "domain"}
    assert em.requests() == []


def test_creation_options_replace_the_space_deleting_it_first(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, WITH_OPTIONS))
    d = p.diff("org_1", olds, checked(KIND, {**WITH_OPTIONS, "copy_sso_settings": False}))
    assert d.replaces == ["copy_sso_settings"]
    assert d.delete_before_replace is True  # domains are unique
    d = p.diff("org_1", olds, checked(KIND, {**WITH_OPTIONS, "users_to_copy_as_admins": UNKNOWN}))
    assert d.changes is True and d.replaces == ["users_to_copy_as_admins"]


def test_name_and_domain_update_in_place(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, EU))
    d = RetoolProvider(KIND).diff(
        "org_1", olds, checked(KIND, {"name": "EU", "domain": "europe.example.com"})
    )
    assert d.changes is True and d.replaces == [] and d.delete_before_replace is False


def test_create_is_one_post_with_the_options_and_read_back_has_no_diff(em: Emulator) -> None:
    p, inputs, created = create(KIND, WITH_OPTIONS)
    assert calls(em) == ["POST /spaces"]
    # Retool answers before the domain is provisioned: the declared domain stands.
    assert created.outs["domain"] == EU["domain"]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /spaces/{created.id}"]
    # The creation options are never returned: the declared ones are kept.
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_rename_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, EU)
    retool.put(f"/spaces/{created.id}", json={"name": "Renamed", "domain": EU["domain"]})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "name": "Renamed"}
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_update_puts_name_and_domain_only(em: Emulator) -> None:
    p, _inputs, created = create(KIND, WITH_OPTIONS)
    em.clear_requests()
    news = checked(KIND, {**WITH_OPTIONS, "name": "EU"})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PUT /spaces/{created.id}"]
    assert em.store.spaces[created.id]["name"] == "EU"
    assert updated.outs["copy_sso_settings"] is True


def test_read_of_a_deleted_space_returns_an_empty_id_and_delete_tolerates_404(em: Emulator) -> None:
    p, _, created = create(KIND, EU)
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.spaces
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_adopt_id_takes_over_an_existing_space(em: Emulator, retool: RetoolClient) -> None:
    existing = retool.post("/spaces", json={"name": "Old", "domain": EU["domain"]})
    em.clear_requests()
    created = RetoolProvider(KIND).create({**checked(KIND, EU), "adopt_id": existing["id"]})
    assert created.id == existing["id"]
    assert "POST /spaces" not in calls(em)
    assert em.store.spaces[existing["id"]]["name"] == "Europe"


def test_ambiguous_create_finds_the_applied_space_by_domain(em: Emulator) -> None:
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(checked(KIND, EU))
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /spaces"]
    assert [s["id"] for s in em.store.spaces.values() if s["domain"] == EU["domain"]] == [created.id]


def test_ambiguous_create_finds_the_space_still_provisioning_without_a_duplicate(em: Emulator) -> None:
    # Issue #11 item 4: while Retool provisions a new space it reads with `domain: ""`, so a
    # lookup by domain after a timed-out POST would miss it and POST again.
    set_provisioning_reads(em.store, 2)  # the lookup and the first refresh see it provisioning
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        p, inputs, created = create(KIND, EU)
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /spaces"]
    assert [s["id"] for s in em.store.spaces.values() if s["name"] == EU["name"]] == [created.id]
    for _ in range(2):  # still provisioning, then provisioned: no diff either way
        read = p.read(created.id, with_provider_key(created.outs))
        assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False
