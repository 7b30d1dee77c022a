"""Batched refresh through the real engine: refreshing 150 folders costs at most
ceil(150/100) list requests and no GET of an individual folder, and the cache never serves
data from an earlier operation (an edit made between two refreshes is seen by the second)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import retool_pulumi as retool
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from tests.engine import new_stack, resources_of

pytestmark = pytest.mark.engine

N = 150


def _folder_requests(em: Emulator) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    reqs = [r for r in em.requests() if r["method"] == "GET"]
    lists = [r for r in reqs if r["path"] == "/api/v2/folders"]
    gets = [r for r in reqs if r["path"].startswith("/api/v2/folders/")]
    return lists, gets


def test_refresh_of_150_folders_costs_two_list_requests_and_sees_edits_between_refreshes(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str], retool_client: RetoolClient
) -> None:
    def program() -> None:
        for i in range(N):
            retool.Folder(f"f{i}", name=f"batch-{i:03d}", folder_type="app")

    st = new_stack(tmp_path, program, env=retool_env)
    st.up()
    ids = {f["name"]: fid for fid, f in retool_emulator.store.folders.items()}

    retool_emulator.clear_requests()
    first = st.refresh()
    assert not {k: v for k, v in (first.summary.resource_changes or {}).items() if k != "same"}
    lists, gets = _folder_requests(retool_emulator)
    # The org holds the 150 folders plus a few seeded ones: still two pages of 100.
    pages = math.ceil(len(retool_emulator.store.folders) / 100)
    assert pages == 2
    assert len(lists) <= pages, f"{len(lists)} list requests for {N} folders"
    assert gets == [], f"{len(gets)} GETs of single folders during a batched refresh"
    other = [r for r in retool_emulator.requests() if not r["path"].startswith("/api/v2/folders")]
    assert other == [], f"unexpected requests during refresh: {other[:5]}"

    # An edit in Retool between two refreshes (a new operation) is seen by the second one.
    fid = ids["batch-042"]
    edit = [{"op": "replace", "path": "/name", "value": "renamed-by-hand"}]
    retool_client.patch(f"/folders/{fid}", json={"operations": edit})
    second = st.refresh()
    assert (second.summary.resource_changes or {}).get("update") == 1
    outputs = {r["outputs"].get("name") for r in resources_of(st, ":Folder")}
    assert "renamed-by-hand" in outputs and "batch-042" not in outputs
