"""Many clients at once: no 5xx and a final state consistent with what succeeded."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

from retool_pulumi.emulator import Emulator

THREADS = 8
REQUESTS_PER_THREAD = 500


def _worker(em: Emulator, index: int, results: dict[str, Any], errors: list[str]) -> None:
    conn = http.client.HTTPConnection(em.host, timeout=30)
    headers = {"Authorization": f"Bearer {em.token}", "Content-Type": "application/json"}

    def send(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        conn.request(
            method, "/api/v2" + path, json.dumps(body).encode() if body is not None else None, headers
        )
        resp = conn.getresponse()
        raw = resp.read()
        if resp.status >= 500:
            errors.append(f"{method} {path} -> {resp.status} {raw[:200]!r}")
        return resp.status, json.loads(raw) if raw else None

    folders: list[str] = []
    groups: list[int] = []
    deleted_folders = 0
    for i in range(REQUESTS_PER_THREAD):
        step = i % 5
        if step == 0:
            status, body = send("POST", "/folders", {"name": f"t{index}-{i}", "folder_type": "app"})
            if status == 200:
                folders.append(body["data"]["id"])
        elif step == 1:
            status, body = send("POST", "/groups", {"name": f"g{index}-{i}"})
            if status == 200:
                groups.append(body["data"]["id"])
        elif step == 2 and groups and folders:
            grant = {
                "subject": {"type": "group", "id": groups[-1]},
                "object": {"type": "folder", "id": folders[-1]},
                "access_level": "edit",
            }
            send("POST", "/permissions/grant", grant)
        elif step == 3:
            send("GET", "/folders?limit=50")
        elif folders and i % 10 == 4:
            status, _ = send("DELETE", f"/folders/{folders.pop(0)}")
            deleted_folders += status == 204
        else:
            send("GET", "/groups")
    conn.close()
    results[str(index)] = {"folders": folders, "groups": groups, "deleted": deleted_folders}


def test_eight_threads_of_mixed_requests_leave_consistent_state() -> None:
    with Emulator(validate_responses=True) as em:
        seeded_folders = len(em.store.folders)
        seeded_groups = len(em.store.groups)
        results: dict[str, Any] = {}
        errors: list[str] = []
        threads = [threading.Thread(target=_worker, args=(em, n, results, errors)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors[:10]
        assert not em.violations, em.violations[:10]
        live_folders = {f for r in results.values() for f in r["folders"]}
        all_groups = {g for r in results.values() for g in r["groups"]}
        assert len(em.store.folders) == seeded_folders + len(live_folders)
        assert live_folders <= set(em.store.folders)
        assert len(em.store.groups) == seeded_groups + len(all_groups)
        assert len(all_groups) == THREADS * REQUESTS_PER_THREAD // 5
        for key, grant in em.store.permissions.items():
            assert grant["object_id"] in em.store.folders, key
        assert len(em.requests()) == THREADS * REQUESTS_PER_THREAD
