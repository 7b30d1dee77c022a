"""Bad inputs through the real engine: every row of the catalogue (at least 50, across types)
is rejected at preview with an error that names its property, and no API request is made.

The engine stops a preview at the first failed check ("Resource monitor has terminated"), so
each row gets its own `pulumi preview` of a one-resource program; they run a few at a time."""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from retool_pulumi.emulator import Emulator
from tests.engine import REPO, TOOLS, engine_env
from tests.reliability.bad_inputs import CASES

pytestmark = pytest.mark.engine

WORKERS = 4
PROGRAM = f"""
import json, os, sys
sys.path.insert(0, {str(REPO)!r})
import retool_pulumi as retool
from retool_pulumi.engine import RetoolResource
from tests.reliability.bad_inputs import CASES

case = CASES[int(os.environ["BAD_CASE"])]
cls = getattr(retool, case.kind)
# The typed constructors only forward their keyword arguments to the base class; going through
# the base lets a row pass what a typed signature would refuse (names it does not know).
res = cls.__new__(cls)
RetoolResource.__init__(res, "bad-" + os.environ["BAD_CASE"], dict(case.args))
"""


def test_catalogue_has_at_least_50_rows_across_types() -> None:
    assert len(CASES) >= 50
    assert len({c.kind for c in CASES}) >= 10


def test_every_bad_input_is_rejected_at_preview_naming_its_property_without_api_requests(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str]
) -> None:
    (tmp_path / "Pulumi.yaml").write_text(
        "name: retool-bad-inputs\nruntime:\n  name: python\n  options:\n    toolchain: pip\n"
        f"    virtualenv: {REPO / '.venv'}\n"
    )
    (tmp_path / "__main__.py").write_text(PROGRAM)
    (tmp_path / "backend").mkdir()
    env = {**os.environ, **engine_env({**retool_env, "PULUMI_BACKEND_URL": f"file://{tmp_path / 'backend'}"})}
    pulumi = str(TOOLS / "bin" / "pulumi")
    for w in range(WORKERS):
        subprocess.run(
            [pulumi, "stack", "init", f"w{w}"], cwd=tmp_path, env=env, check=True, capture_output=True
        )

    def preview(index: int) -> tuple[int, int, str]:
        out = subprocess.run(
            [pulumi, "--non-interactive", "preview", "--stack", f"w{index % WORKERS}"],
            cwd=tmp_path,
            env={**env, "BAD_CASE": str(index)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        return index, out.returncode, out.stdout + out.stderr

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(preview, range(len(CASES))))

    wrong = []
    for index, code, text in results:
        case = CASES[index]
        # The engine's line: "... resource 'bad-N': property P value ... has a problem: <message>",
        # and our message names the property too ("Kind.P: ..." or "Kind has no property 'P'").
        prop = re.escape(case.prop)
        pattern = rf"resource 'bad-{index}': property {prop} value .* has a problem: .*\b{prop}\b"
        if code == 0 or not re.search(pattern, text):
            wrong.append((index, case.kind, case.prop, text[-600:]))
    assert wrong == [], f"{len(wrong)} rows not rejected naming their property: {wrong[:3]}"
    api = [r for r in retool_emulator.requests() if r["path"].startswith("/api/v2")]
    assert api == [], f"previews of invalid inputs called the API: {api[:5]}"
