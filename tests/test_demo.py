"""`make demo` (tools/demo.py), the README's first command: a second run changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine import REPO, engine_env


def _demo(state: Path) -> str:
    env = engine_env({"RETOOL_DEMO_STATE": str(state)})
    # The demo's own passphrase: the root project's Pulumi.dev.yaml (a user's `make demo` too)
    # keeps the salt made with it.
    env.pop("PULUMI_CONFIG_PASSPHRASE")
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo.py")],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.mark.engine
def test_a_second_demo_run_changes_nothing(tmp_path: Path) -> None:
    first = _demo(tmp_path / "state")
    assert "18 created" in first
    # The emulated Retool comes back at the address its objects were recorded at.
    second = _demo(tmp_path / "state")
    assert "18 unchanged" in second, second[-3000:]
    assert "created" not in second and "error" not in second.lower()
