"""Server rate limit: with the emulator enforcing Retool's default of 300 requests per minute,
300 objects go up with 0 failures (the client paces itself and honours Retry-After)."""

from __future__ import annotations

from pathlib import Path

from retool_pulumi.emulator import Emulator
from tests.engine import changes, new_stack
from tests.reliability.support import duplicates, expected_names, mixed_program, names_in_org


def test_300_objects_go_up_under_a_300_requests_per_minute_server_limit_without_failures(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str]
) -> None:
    n, prefix = 300, "rpm"
    retool_emulator.set_faults(requests_per_minute=300)
    # The client's own default budget is also 300 a minute (RETOOL_REQUESTS_PER_MINUTE unset).
    st = new_stack(tmp_path, mixed_program(n, prefix), env=retool_env)

    up = st.up()  # raises if any resource failed
    assert changes(up.summary.resource_changes) == {"create": n + 1}  # and the stack
    counts = names_in_org(retool_emulator, prefix)
    assert duplicates(counts) == {}
    assert set(counts) == expected_names(n, prefix)
    served = [r for r in retool_emulator.requests() if r["status"] != 429]
    assert len(served) >= n
