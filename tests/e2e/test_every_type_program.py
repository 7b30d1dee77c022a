"""One program declaring every type goes up, previews clean, refreshes clean and destroys clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import all_specs
from tests.e2e.test_type_lifecycle import CASES
from tests.engine import changes, new_stack


@pytest.mark.engine
def test_program_with_every_type_is_clean_through_its_whole_life(
    tmp_path: Path, retool_env: dict[str, str], retool_emulator: Emulator
) -> None:
    def program() -> None:
        for case in CASES.values():
            case.declare(1)

    st = new_stack(tmp_path, program, env=retool_env)
    up = st.up()
    kinds = {
        r["type"].rsplit(":", 1)[-1]
        for r in st.export_stack().deployment["resources"]
        if "retool" in r["type"]
    }
    assert set(CASES) <= kinds
    assert up.summary.resource_changes.get("create", 0) >= len(CASES)

    assert changes(st.preview().change_summary) == {}
    assert changes(st.refresh().summary.resource_changes) == {}
    assert changes(st.preview().change_summary) == {}

    st.destroy()
    assert not [r for r in st.export_stack().deployment.get("resources", []) if "retool" in r["type"]]
    seeded = Emulator().store.dump()
    after = retool_emulator.store.dump()
    # Retool's API cannot delete these; destroy says so (and disables users).
    undeletable = {"access_tokens", "custom_component_libraries", "library_revisions"}
    for name, items in after["collections"].items():
        if name == "users":
            assert all(u["active"] is False for u in items if u["id"] != after["admin_user_id"])
            continue
        if name in undeletable:
            continue
        assert len(items) == len(seeded["collections"][name]), f"destroy left objects in {name}: {items}"
    assert after["singletons"]["sso_config"] is None
    assert after["singletons"]["source_control_config"] is None


@pytest.mark.parametrize("kind", sorted(s.kind for s in all_specs()))
def test_every_registered_type_has_a_lifecycle_case(kind: str) -> None:
    assert kind in CASES
