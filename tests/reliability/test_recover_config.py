"""`python -m retool_pulumi.recover` reaches Retool as the program does: through the stack's
config (`retool:*`), with no RETOOL_* variable set; and a user's mistake ends in one error line
saying what to set, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from retool_pulumi.emulator import Emulator
from tests.engine import REPO
from tests.reliability.cli_project import STACK, CliProject

pytestmark = pytest.mark.engine

PROGRAM = "import retool_pulumi as retool\nretool.Folder('f', name='Killed mid-create', folder_type='app')\n"


def _recover(project: CliProject, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in project.env.items() if not k.startswith("RETOOL_")}
    env = {k: v for k, v in {**os.environ, **env}.items() if not k.startswith("RETOOL_")}
    return subprocess.run(
        [sys.executable, "-m", "retool_pulumi.recover", "--cwd", str(project.dir), *args],
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _folders(em: Emulator) -> list[str]:
    return [f["name"] for f in em.store.dump()["collections"]["folders"] if f["name"] == "Killed mid-create"]


def test_recover_reads_the_stack_config(
    tmp_path: Path, retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    em = retool_emulator
    held, release = threading.Event(), threading.Event()
    original = em.api.handle

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        if method == "POST" and path.startswith("/api/v2/folders"):
            held.set()
            release.wait(60)
        return original(method, path, headers, body)

    monkeypatch.setattr(em.api, "handle", handle)
    monkeypatch.setattr(em._server, "handle_error", lambda *_args: None)
    project = CliProject(tmp_path, PROGRAM)
    project.config(
        {"retool:host": em.host, "retool:scheme": "http", "retool:accessToken": em.token},
        secret=["retool:accessToken"],
    )
    proc = subprocess.Popen(
        project.command("up", "--yes", "--skip-preview"),
        cwd=project.dir,
        env=project.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert held.wait(120), "the create never reached Retool"
        os.killpg(proc.pid, signal.SIGKILL)  # the engine and its plugins, as a crash would
        proc.wait()
    finally:
        release.set()  # Retool applies the create; its answer goes nowhere
    monkeypatch.setattr(em.api, "handle", original)

    # A user's mistakes: one error line saying what to do, never a traceback.
    project.run("config", "rm", "retool:host", check=True)
    done = _recover(project, "--stack", STACK, "--force-cancel")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "pulumi config set retool:host" in done.stderr
    assert f"stack config read from stack '{STACK}'" in done.stderr
    done = _recover(project, "--stack", "nope")
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "no stack named 'nope'" in done.stderr

    project.config({"retool:host": em.host})
    done = _recover(project, "--stack", STACK, "--force-cancel")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Adopted Folder" in done.stdout, done.stdout
    assert em.token not in done.stdout + done.stderr
    project.run("up", "--yes", "--skip-preview", check=True)
    assert _folders(em) == ["Killed mid-create"], "recovery lost or duplicated the folder"
