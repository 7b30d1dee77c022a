"""The quickstart (the root project that `make demo` runs) through the real `pulumi` CLI and
language host: what a user checks by hand after `make demo`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from retool_pulumi.emulator import Emulator
from tests.engine import REPO, changes, export_state
from tests.examples.example_support import copy_example, example_stack

pytestmark = pytest.mark.engine


def test_quickstart_builds_the_declared_org_and_keeps_secrets_encrypted(tmp_path: Path) -> None:
    root = tmp_path / "project"
    copy_example("quickstart", root)
    shutil.copy(REPO / "Pulumi.yaml", root / "Pulumi.yaml")
    with Emulator(token="quickstart-token", validate_responses=True) as em:
        env = {"RETOOL_HOST": em.host, "RETOOL_ACCESS_TOKEN": em.token, "RETOOL_SCHEME": "http"}
        st = example_stack(root, "dev", tmp_path / "backend", env)

        up = st.up()
        assert up.summary.result == "succeeded"
        outputs = {k: v.value for k, v in up.outputs.items()}
        store = em.store.dump()
        folders = {f["id"]: f for f in store["collections"]["folders"]}
        reports = folders[outputs["reports_folder_id"]]
        assert reports["name"] == "Reports"
        assert folders[reports["parent_folder_id"]]["name"] == "Operations"

        groups = {str(g["id"]): g for g in store["collections"]["groups"]}
        analysts = groups[outputs["analysts_group_id"]]
        assert analysts["name"] == "Analysts" and analysts["usage_analytics_access"] is True
        assert [m["id"] for m in analysts["members"]] == [outputs["alice_user_id"]]
        grant = ("group", outputs["analysts_group_id"], "folder", outputs["reports_folder_id"])
        grants = {
            tuple(p[k] for k in ("subject_type", "subject_id", "object_type", "object_id")): p
            for p in store["permissions"]
        }
        assert grants[grant]["access_level"] == "use"

        configs = [
            c
            for c in store["collections"]["resource_configurations"]
            if c["_resource_id"] == outputs["orders_db_id"]
        ]
        assert len(configs) == 3, "one configuration of the Orders DB per environment"
        names = {v["name"]: v for v in store["collections"]["configuration_variables"]}
        assert names["payments_api_key"]["secret"] is True and names["support_email"]["secret"] is False

        assert changes(st.preview().change_summary) == {}
        assert changes(st.refresh().summary.resource_changes) == {}

        state = json.dumps(export_state(st))
        for secret in ("quickstart-db-password", "quickstart-payments-key", "quickstart-token"):
            assert secret not in state

        st.destroy()
        after = em.store.dump()
        assert not [f for f in after["collections"]["folders"] if f["name"] in ("Reports", "Operations")]
        assert any(e["name"] == "staging" for e in after["collections"]["environments"]), (
            "adopted staging is retained"
        )
