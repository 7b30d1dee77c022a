"""Server rate limit: with the emulator enforcing Retool's default of 300 requests per minute,
300 objects go up with 0 failures, because the client paces itself: no 60-second window ever
brings the server more requests than the limit (so it never had to refuse one), and the
busiest window uses most of the limit (the pacing is not needlessly slow)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from retool_pulumi.emulator import Emulator
from retool_pulumi.emulator.faults import Decision
from tests.engine import changes, new_stack
from tests.reliability.support import duplicates, expected_names, mixed_program, names_in_org

pytestmark = pytest.mark.engine

LIMIT = 300  # Retool's default, and the client's default budget (RETOOL_REQUESTS_PER_MINUTE unset)
WINDOW = 60.0


def busiest_window(arrivals: list[float], window: float = WINDOW) -> int:
    """The most arrivals within any `window` seconds."""
    best, start = 0, 0
    for end, t in enumerate(arrivals):
        while t - arrivals[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_busiest_window_counts_arrivals_in_any_sliding_window() -> None:
    assert busiest_window([0, 1, 2, 59.9, 60, 61], window=60) == 4
    assert busiest_window([0, 59.99, 60, 60.5], window=60) == 3
    assert busiest_window([0, 60, 120], window=60) == 1


def test_300_objects_go_up_under_a_300_requests_per_minute_server_limit_paced_by_the_client(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    n, prefix = 300, "rpm"
    retool_emulator.set_faults(requests_per_minute=LIMIT)
    arrivals: list[float] = []
    lock = threading.Lock()
    decide = retool_emulator.faults.decide

    def record(mutating: bool) -> Decision:  # every API request, as it arrives
        with lock:
            arrivals.append(time.monotonic())
        return decide(mutating)

    monkeypatch.setattr(retool_emulator.faults, "decide", record)
    st = new_stack(tmp_path, mixed_program(n, prefix), env=retool_env)

    up = st.up()  # raises if any resource failed
    assert changes(up.summary.resource_changes) == {"create": n + 1}  # and the stack
    counts = names_in_org(retool_emulator, prefix)
    assert duplicates(counts) == {}
    assert set(counts) == expected_names(n, prefix)

    refused = [r for r in retool_emulator.requests() if r["status"] == 429]
    assert len(arrivals) > LIMIT, "too few requests to cross a window"
    busiest = busiest_window(sorted(arrivals))
    assert refused == [] and busiest <= LIMIT, f"{busiest} requests in 60 s, {len(refused)} refused"
    # Not far slower than needed: the busiest minute carried at least 80% of what was allowed.
    assert busiest >= 0.8 * LIMIT, f"only {busiest} requests in the busiest 60 s of {len(arrivals)}"
