"""The foundation's smoke test: a trivial dynamic resource through the real Pulumi engine."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
from pulumi import automation as auto
from semver import VersionInfo

from retool_pulumi.smoke import Echo
from tests.engine import new_stack, pulumi_command

pytestmark = pytest.mark.engine


def test_engine_is_new_enough_for_read_inputs() -> None:
    # ReadResult.inputs (refresh reconciling drift) needs 3.216 or later.
    version = pulumi_command().version
    assert version is not None and version >= VersionInfo.parse("3.216.0")


def test_dynamic_resource_lifecycle_through_real_engine(tmp_path: Path) -> None:
    message = {"value": "hello"}

    def program() -> None:
        echo = Echo("echo", message=message["value"])
        pulumi.export("echo", echo.echo)

    st = new_stack(tmp_path, program)

    up = st.up()
    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["echo"].value == "hello"

    preview = st.preview()
    assert preview.change_summary == {auto.OpType.SAME: 2}

    message["value"] = "changed"
    up2 = st.up()
    assert up2.summary.resource_changes == {"update": 1, "same": 1}
    assert up2.outputs["echo"].value == "changed"

    refresh = st.refresh()
    assert refresh.summary.result == "succeeded"
    assert refresh.summary.resource_changes == {"same": 2}

    destroy = st.destroy()
    assert destroy.summary.resource_changes == {"delete": 2}
    assert not [r for r in st.export_stack().deployment.get("resources", []) if "dynamic" in r["type"]]
