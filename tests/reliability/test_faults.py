"""Faults through the real engine: with 20% of requests answered 429/503 and 5% timing out,
200 objects go up and are destroyed with 0 failures, 0 duplicates and 0 orphans; connections
dropped after the server applied a write cause no duplicates either."""

from __future__ import annotations

from pathlib import Path

import pytest

from retool_pulumi.emulator import Emulator
from tests.engine import changes, new_stack
from tests.reliability.support import duplicates, expected_names, mixed_program, names_in_org

pytestmark = pytest.mark.engine

# Enough retries for a 20% error rate, a client timeout shorter than the injected one, and no
# client-side throttle (the emulator applies no rate limit here).
FAULTY_ENV = {
    "RETOOL_MAX_RETRIES": "10",
    "RETOOL_TIMEOUT": "1",
    "RETOOL_REQUESTS_PER_MINUTE": "0",
}


def test_200_objects_up_and_destroy_under_errors_and_timeouts_without_failures_duplicates_or_orphans(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str]
) -> None:
    n, prefix = 200, "flt"
    st = new_stack(tmp_path, mixed_program(n, prefix), env={**retool_env, **FAULTY_ENV})
    retool_emulator.set_faults(
        error_rate=0.2, error_statuses=[429, 503], latency_ms=5, timeout_rate=0.05, timeout_ms=1500
    )

    up = st.up()  # raises on any failed resource
    assert changes(up.summary.resource_changes) == {"create": n + 1}  # and the stack
    counts = names_in_org(retool_emulator, prefix)
    assert duplicates(counts) == {}
    assert set(counts) == expected_names(n, prefix)

    faulty = [r for r in retool_emulator.requests() if r["status"] in (429, 503, None)]
    assert len(faulty) > n // 10, "the faults were not injected"

    down = st.destroy()
    assert changes(down.summary.resource_changes) == {"delete": n + 1}
    assert names_in_org(retool_emulator, prefix) == {}, "objects left in Retool after destroy"


def test_connections_dropped_after_the_server_applied_a_write_cause_no_duplicates(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str]
) -> None:
    n, prefix = 90, "drp"
    st = new_stack(tmp_path, mixed_program(n, prefix), env={**retool_env, **FAULTY_ENV})
    retool_emulator.set_faults(drop_after_apply_rate=0.3)

    up = st.up()
    assert changes(up.summary.resource_changes) == {"create": n + 1}  # and the stack
    posts = [r for r in retool_emulator.requests() if r["method"] == "POST"]
    dropped = [r for r in posts if r["status"] is None]
    assert len(dropped) >= n // 10, "the drops were not injected"
    counts = names_in_org(retool_emulator, prefix)
    assert duplicates(counts) == {}
    assert set(counts) == expected_names(n, prefix)

    st.destroy()
    assert names_in_org(retool_emulator, prefix) == {}
