"""A program of 1,000 Retool objects previews through the real engine. (The SDK nests one more
pickling wrapper per dynamic resource serialised in a process, and fails past about 970 of
them; `RetoolResource` peels the wrappers off. See `engine.resource.reset_dynamic_pickler`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from tests.engine import new_stack

pytestmark = pytest.mark.engine

N = 1000


def test_a_program_of_1000_objects_previews_without_api_requests(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str]
) -> None:
    def program() -> None:
        for i in range(N):
            retool.Group(f"g{i}", name=f"large-{i:04d}")

    st = new_stack(tmp_path, program, env=retool_env)
    preview = st.preview()
    assert preview.change_summary.get("create") == N + 1  # and the stack
    assert [r for r in retool_emulator.requests() if r["path"].startswith("/api/v2")] == []
