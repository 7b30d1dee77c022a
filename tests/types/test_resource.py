"""Resource at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

from types_support import BodySpy, calls, check, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "Resource"
API: dict[str, Any] = {
    "type": "restapi",
    "display_name": "Billing API",
    "options": {
        "base_url": "https://billing.example.com",
        "headers": [["X-Api-Key", "k-s3cr3t"]],
        "authentication_options": {"authentication_type": "bearer", "bearer_token": "t-s3cr3t"},
    },
}
PG: dict[str, Any] = {
    "type": "postgresql",
    "display_name": "Warehouse",
    "options": {"database_options": {"host": "db.internal", "port": "5432", "password": "hunter2"}},
}


def test_check_validates_options_for_the_declared_type_without_echoing_them(em: Emulator) -> None:
    result = check(KIND, {**PG, "options": {"host": "db.internal", "password": "hunter2"}})
    assert [f.property for f in result.failures] == ["options"]
    reason = result.failures[0].reason
    assert "options.database_options" in reason and "required" in reason and "postgresql" in reason
    assert "hunter2" not in reason
    reasons = failures(KIND, {**API, "options": {"base_url": 443.0, "password": "hunter2"}})
    assert "options.base_url" in reasons["options"] and "string" in reasons["options"]
    assert "hunter2" not in reasons["options"]
    assert em.requests() == []


def test_check_rejects_an_option_the_type_does_not_have(em: Emulator) -> None:
    reasons = failures(KIND, {**PG, "options": {"database_options": {"host": "h", "port": "1", "pool": 5}}})
    assert "options.database_options" in reasons["options"]
    assert em.requests() == []


def test_check_names_the_type_and_the_allowed_types(em: Emulator) -> None:
    reasons = failures(KIND, {**API, "type": "ftp"})
    assert set(reasons) == {"type"} and "'restapi'" in reasons["type"] and "'postgresql'" in reasons["type"]
    assert set(failures(KIND, {"type": "restapi"})) == {"display_name", "options"}
    assert em.requests() == []


def test_check_accepts_floats_for_integers_in_options(em: Emulator) -> None:
    oauth = {
        "authentication_type": "oauth2",
        "oauth2_access_token_url": "https://auth/token",
        "oauth2_auth_url": "https://auth/authorize",
        "oauth2_client_id": "cid",
        "oauth2_client_secret": "csecret",
        "oauth2_access_token_lifespan_seconds": 3600.0,
    }
    news = {**API, "options": {"base_url": "https://x", "authentication_options": oauth}}
    lifespan = checked(KIND, news)["options"]["authentication_options"][
        "oauth2_access_token_lifespan_seconds"
    ]
    assert lifespan == 3600 and isinstance(lifespan, int)


def test_unknown_options_pass_check_and_diff_reports_a_change(em: Emulator) -> None:
    news = checked(KIND, {**API, "options": {**API["options"], "base_url": UNKNOWN}})
    d = RetoolProvider(KIND).diff("r", with_provider_key(checked(KIND, API)), news)
    assert d.changes is True and d.replaces == []
    news = checked(KIND, {**API, "type": UNKNOWN, "options": {"anything": 1}})
    assert RetoolProvider(KIND).diff("r", with_provider_key(checked(KIND, API)), news).replaces == ["type"]
    assert em.requests() == []


def test_type_replaces_the_resource_while_options_update_it(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, API))
    assert p.diff("r", olds, checked(KIND, {**API, "type": "grpc", "options": {}})).replaces == ["type"]
    d = p.diff("r", olds, checked(KIND, {**API, "display_name": "Billing"}))
    assert d.changes is True and d.replaces == []


def test_a_removed_option_key_is_a_change(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, API))
    options = {k: v for k, v in API["options"].items() if k != "headers"}
    assert RetoolProvider(KIND).diff("r", olds, checked(KIND, {**API, "options": options})).changes is True
    reordered = dict(reversed(list(API["options"].items())))
    assert RetoolProvider(KIND).diff("r", olds, checked(KIND, {**API, "options": reordered})).changes is False


def test_create_is_one_post_and_read_keeps_the_options_retool_never_returns(em: Emulator) -> None:
    p, inputs, created = create(KIND, API)
    assert calls(em) == ["POST /resources"]
    assert em.store.resources[created.id]["_options"] == API["options"]
    for output in ("protected", "created_at", "updated_at"):
        assert output in created.outs
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /resources/{created.id}"]
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_rename_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, API)
    retool.patch(
        f"/resources/{created.id}",
        json={"operations": [{"op": "replace", "path": "/display_name", "value": "Renamed"}]},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "display_name": "Renamed"}
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_options_updates_really_reach_retool(em: Emulator) -> None:
    p, _inputs, created = create(KIND, API)
    em.clear_requests()
    options = {"base_url": "https://billing-v2.example.com"}  # headers and auth removed
    news = checked(KIND, {**API, "options": options})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PATCH /resources/{created.id}"]
    assert em.store.resources[created.id]["_options"] == options
    assert updated.outs["options"] == options


def test_a_rename_patches_only_the_display_name(em: Emulator) -> None:
    p, _inputs, created = create(KIND, API)
    em.clear_requests()
    p.update(created.id, with_provider_key(created.outs), checked(KIND, {**API, "display_name": "Billing"}))
    assert writes(em) == [f"PATCH /resources/{created.id}"]
    assert em.store.resources[created.id]["display_name"] == "Billing"
    assert em.store.resources[created.id]["_options"] == API["options"]


def test_read_of_a_deleted_resource_returns_an_empty_id_and_delete_tolerates_404(em: Emulator) -> None:
    p, _, created = create(KIND, PG)
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.resources
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_adopt_id_sends_the_declared_options_to_the_existing_resource(
    em: Emulator, retool: RetoolClient
) -> None:
    existing = retool.post(
        "/resources", json={"type": "restapi", "display_name": "Old", "options": {"base_url": "https://old"}}
    )
    em.clear_requests()
    created = RetoolProvider(KIND).create({**checked(KIND, API), "adopt_id": existing["id"]})
    assert created.id == existing["id"]
    assert "POST /resources" not in calls(em)
    assert em.store.resources[existing["id"]]["_options"] == API["options"]
    assert em.store.resources[existing["id"]]["display_name"] == "Billing API"


def test_ambiguous_create_finds_the_applied_resource(em: Emulator) -> None:
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(checked(KIND, API))
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /resources"]
    assert [r["id"] for r in em.store.resources.values() if r["display_name"] == "Billing API"] == [
        created.id
    ]


def test_an_options_update_sends_only_the_options(em: Emulator, bodies: BodySpy) -> None:
    p, _inputs, created = create(KIND, API)
    options = {**API["options"], "base_url": "https://v2"}
    p.update(created.id, with_provider_key(created.outs), checked(KIND, {**API, "options": options}))
    assert bodies.bodies("PATCH") == [
        {"operations": [{"op": "replace", "path": "/options", "value": options}]}
    ]
