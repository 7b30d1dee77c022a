"""The release: `make dist` builds a wheel and an sdist without warnings, with the licence as an
SPDX expression, `py.typed` and the bundled spec; the wheel installed into a fresh virtualenv
outside the checkout runs a program through the real engine with that virtualenv's packages
(program and dynamic provider alike).

Dependencies come from the package index through pip's cache (the first run on a machine
downloads them); everything else stays on this machine."""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

import retool_pulumi
from retool_pulumi.emulator import Emulator
from tests.engine import REPO
from tests.release.venv_support import (
    CHECKOUT_PYTHON,
    add_marker,
    make_venv,
    outputs,
    project_stack,
    write_project,
)

pytestmark = pytest.mark.engine
VERSION = retool_pulumi.__version__


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`make dist` into a temporary directory: (the directory, what the build printed)."""
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    proc = subprocess.run(
        ["make", "--no-print-directory", "dist", f"DIST={out}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    return out, log


def test_make_dist_builds_a_wheel_and_sdist_without_warnings(dist: tuple[Path, str]) -> None:
    out, log = dist
    warnings = [line for line in log.splitlines() if re.search(r"warn", line, re.IGNORECASE)]
    assert not warnings, "\n".join(warnings)
    wheel = out / f"retool_pulumi-{VERSION}-py3-none-any.whl"
    sdist = out / f"retool_pulumi-{VERSION}.tar.gz"
    assert sorted(p.name for p in out.iterdir()) == sorted([wheel.name, sdist.name])

    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        metadata = whl.read(f"retool_pulumi-{VERSION}.dist-info/METADATA").decode()
    for name in ("retool_pulumi/openapi.json", "retool_pulumi/py.typed", "retool_pulumi/__init__.py"):
        assert name in names
    assert f"retool_pulumi-{VERSION}.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if n.split("/")[0] in ("tests", "tools", "examples", "docs")]
    assert f"\nVersion: {VERSION}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata and "\nLicense-File: LICENSE\n" in metadata

    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    for name in (
        "LICENSE",
        "README.md",
        "pyproject.toml",
        "retool_pulumi/openapi.json",
        "retool_pulumi/py.typed",
    ):
        assert name in members
    assert not [m for m in members if m.startswith(("tests/", "tools/"))]


def test_the_wheel_in_a_fresh_virtualenv_runs_a_program_with_the_real_engine(
    dist: tuple[Path, str], tmp_path: Path
) -> None:
    out, _ = dist
    root = write_project(tmp_path / "project", "venv", name="wheel-project")
    venv = root / "venv"
    python = make_venv(venv)
    started = time.monotonic()
    wheel = out / f"retool_pulumi-{VERSION}-py3-none-any.whl"
    pip = [str(CHECKOUT_PYTHON), "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "install", "--quiet", str(wheel)],
        check=True,
        timeout=600,
    )
    print(f"installing the wheel and its dependencies took {time.monotonic() - started:.1f} s")
    add_marker(python)

    with Emulator(token="wheel-token") as em:
        st = project_stack(root, tmp_path / "backend", em)
        result = outputs(st.up())
        assert result["version"] == VERSION and result["distribution_version"] == VERSION
        for who in ("program", "provider"):
            found = result[who]
            assert Path(found["prefix"]).resolve() == venv.resolve(), (who, found)
            assert found["retool_pulumi"].startswith(str(venv)), (who, found)  # the wheel's copy
            assert found["marker"].startswith(str(venv)), (who, found)
        assert result["folder_id"] in {f["id"] for f in em.store.dump()["collections"]["folders"]}
        st.destroy()
        assert result["folder_id"] not in {f["id"] for f in em.store.dump()["collections"]["folders"]}
