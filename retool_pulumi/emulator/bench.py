"""Measure emulator start-up time and median request latency (validation included).

python -m retool_pulumi.emulator.bench
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from retool_pulumi.emulator.server import Emulator


def startup_seconds() -> float:
    """Seconds from spawning `python -m retool_pulumi.emulator` to its ready line."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "retool_pulumi.emulator", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        return time.monotonic() - start
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def median_request_ms(count: int = 500) -> dict[str, float]:
    """Median round trip over keep-alive for a read, a validated create and a list."""
    out: dict[str, float] = {}
    with Emulator(validate_responses=True) as em:
        conn = http.client.HTTPConnection(em.host, timeout=10)
        headers = {"Authorization": f"Bearer {em.token}", "Content-Type": "application/json"}
        cases: dict[str, tuple[str, str, bool]] = {
            "GET /folders/app_1": ("GET", "/api/v2/folders/app_1", False),
            "POST /folders": ("POST", "/api/v2/folders", True),
            "GET /folders (list)": ("GET", "/api/v2/folders?limit=100", False),
        }
        for label, (method, path, with_body) in cases.items():
            samples = []
            for i in range(count):
                body = json.dumps({"name": f"b{i}", "folder_type": "app"}).encode() if with_body else None
                t = time.perf_counter()
                conn.request(method, path, body, headers)
                conn.getresponse().read()
                samples.append((time.perf_counter() - t) * 1000)
            out[label] = statistics.median(samples)
        conn.close()
    return out


def _timed_patches(em: Emulator, folder_ids: list[str], count: int) -> float:
    """Seconds for `count` keep-alive PATCHes renaming existing folders (the object count stays)."""
    conn = http.client.HTTPConnection(em.host, timeout=30)
    headers = {"Authorization": f"Bearer {em.token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    for i in range(count):
        ops = {"operations": [{"op": "replace", "path": "/name", "value": f"renamed-{i}"}]}
        conn.request("PATCH", f"/api/v2/folders/{folder_ids[i % len(folder_ids)]}", json.dumps(ops), headers)
        conn.getresponse().read()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def persistence_ms_per_request(objects: int, count: int = 200) -> dict[str, float]:
    """What a state file adds to each write at `objects` objects in the org.

    `added_ms`: mean write latency with a state file minus without (same org, same requests).
    `writer_ms`: time the background writer spent writing, per request (0 when writes are inline).
    """
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state.json"
        with Emulator() as em:
            conn = http.client.HTTPConnection(em.host, timeout=30)
            headers = {"Authorization": f"Bearer {em.token}", "Content-Type": "application/json"}
            ids: list[str] = []
            while len(em.store.folders) < objects:
                conn.request(
                    "POST",
                    "/api/v2/folders",
                    json.dumps({"name": f"f{len(ids)}", "folder_type": "app"}),
                    headers,
                )
                ids.append(json.loads(conn.getresponse().read())["data"]["id"])
            conn.close()
            dump = em.store.dump()
            em.store.save_file(state)
        with Emulator() as plain:
            plain.store.load(dump)
            without = _timed_patches(plain, ids, count)
        with Emulator(state_file=state) as em:
            with_state = _timed_patches(em, ids, count)
            writer = getattr(em, "_writer", None)
            busy = getattr(writer, "busy_seconds", 0.0)
        size = state.stat().st_size
    return {
        "added_ms": (with_state - without) * 1000 / count,
        "writer_ms": busy * 1000 / count,
        "state_bytes": float(size),
    }


def main() -> None:
    """Print the figures."""
    print(f"start-up (python -m retool_pulumi.emulator): {startup_seconds():.2f} s")
    for label, ms in median_request_ms().items():
        print(f"median {label}: {ms:.2f} ms")
    for objects in (500, 2500):
        p = persistence_ms_per_request(objects)
        print(
            f"state file at {objects} objects: +{p['added_ms']:.2f} ms per write request"
            f" (+{p['writer_ms']:.2f} ms background writer time per request, {p['state_bytes'] / 1e6:.1f} MB)"
        )


if __name__ == "__main__":
    main()
