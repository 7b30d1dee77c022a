"""Measure emulator start-up time and median request latency (validation included).

python -m retool_pulumi.emulator.bench
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import time

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


def main() -> None:
    """Print the figures."""
    print(f"start-up (python -m retool_pulumi.emulator): {startup_seconds():.2f} s")
    for label, ms in median_request_ms().items():
        print(f"median {label}: {ms:.2f} ms")


if __name__ == "__main__":
    main()
