"""AppTheme at the provider level, against the emulator."""

from __future__ import annotations

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider

KIND = "AppTheme"
DARK = {"name": "Dark", "theme": {"primary": "#000000", "canvas": "#111111"}}


def test_check_requires_a_theme_object(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "Dark", "theme": "dark"})
    assert set(reasons) == {"theme"} and "dictionary" in reasons["theme"]
    assert "required" in failures(KIND, {"theme": {}})["name"]
    assert em.requests() == []


def test_a_removed_theme_key_is_a_change_and_nothing_replaces(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, DARK))
    d = p.diff("1", olds, checked(KIND, {"name": "Dark", "theme": {"primary": "#000000"}}))
    assert d.changes is True and d.replaces == []
    assert (
        p.diff(
            "1", olds, checked(KIND, {"name": "Dark", "theme": dict(reversed(DARK["theme"].items()))})
        ).changes
        is False
    )


def test_create_read_update_delete(em: Emulator) -> None:
    p, inputs, created = create(KIND, DARK)
    assert writes(em) == ["POST /app_themes"]
    assert em.store.app_themes[int(created.id)]["theme"] == DARK["theme"]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /app_themes/{created.id}"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False

    news = checked(KIND, {"name": "Midnight", "theme": {"primary": "#000033"}})
    em.clear_requests()
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == ["PUT /app_themes"]
    assert em.store.app_themes[int(created.id)]["name"] == "Midnight"
    assert em.store.app_themes[int(created.id)]["theme"] == {"primary": "#000033"}
    assert len(em.store.app_themes) == 1 and updated.outs["name"] == "Midnight"

    p.delete(created.id, with_provider_key(updated.outs))
    assert em.store.app_themes == {}
    assert p.read(created.id, with_provider_key(updated.outs)).id == ""
    p.delete(created.id, with_provider_key(updated.outs))


def test_drift_is_seen_and_repaired(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, DARK)
    live = retool.get(f"/app_themes/{created.id}")
    retool.put("/app_themes", json={**live, "theme": {"primary": "#ff0000"}})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["theme"] == {"primary": "#ff0000"}
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, inputs)
    assert em.store.app_themes[int(created.id)]["theme"] == DARK["theme"]
