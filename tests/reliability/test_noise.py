"""What a user sees when things fail, through the `pulumi` CLI: each error of ours once, as its
own line (no Python traceback, no "Resource monitor has terminated" after it); a Retool that
refuses connections fails `up` in seconds; and the plugins of a `pulumi` killed with SIGKILL end
by themselves."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from retool_pulumi.emulator import Emulator
from tests.reliability.cli_project import CliProject, diagnostics, output

pytestmark = pytest.mark.engine

ONE_FOLDER = "import retool_pulumi as retool\nretool.Folder('f', name='F', folder_type='app')\n"
NOISE = ("Traceback", "dynamic/__main__.py", "Resource monitor has terminated", "an unhandled error occurred")


def _connected(project: CliProject, em: Emulator, token: str | None = None) -> None:
    project.config(
        {"retool:host": em.host, "retool:scheme": "http", "retool:accessToken": token or em.token},
        secret=["retool:accessToken"],
    )


def _quiet(text: str) -> None:
    found = [n for n in NOISE if n in text]
    assert not found, f"noise {found} in:\n{text[-4000:]}"


def test_a_provider_error_is_one_line(tmp_path: Path, retool_emulator: Emulator) -> None:
    project = CliProject(tmp_path, ONE_FOLDER)
    _connected(project, retool_emulator, token="not-the-token")
    done = project.run("up", "--yes", "--skip-preview")
    text = output(done)
    assert done.returncode != 0
    summary = diagnostics(text)
    # The engine's own "update failed" for the stack, then ours: one line.
    errors = [line.strip() for line in summary.splitlines() if line.strip().startswith("error:")]
    errors.remove("error: update failed")
    assert len(errors) == 1, summary
    assert "failed with HTTP 401" in errors[0] and "retool:accessToken" in errors[0]
    assert text.count("failed with HTTP 401") <= 3, text  # progress lines + the summary, no more
    _quiet(text)


def test_a_program_error_of_ours_is_reported_once(tmp_path: Path, retool_emulator: Emulator) -> None:
    program = "import retool_pulumi as retool\nretool.get_folder('No such folder')\n"
    project = CliProject(tmp_path, program)
    _connected(project, retool_emulator)
    done = project.run("up", "--yes", "--skip-preview")
    text = output(done)
    assert done.returncode != 0
    summary = diagnostics(text)
    assert summary.count("Retool has no app folder named 'No such folder'") == 1, summary
    _quiet(text)


def test_check_failures_come_without_a_monitor_shutdown_message(
    tmp_path: Path, retool_emulator: Emulator
) -> None:
    project = CliProject(tmp_path, ONE_FOLDER.replace("name='F'", "name=''"))
    _connected(project, retool_emulator)
    for command in (("preview",), ("up", "--yes", "--skip-preview")):
        done = project.run(*command)
        text = output(done)
        assert done.returncode != 0
        assert diagnostics(text).count("Folder.name: String should have at least 1 character") == 1, text
        _quiet(text)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_up_against_a_retool_that_refuses_connections_fails_in_seconds(tmp_path: Path) -> None:
    program = (
        "import retool_pulumi as retool\n"
        "for i in range(6):\n"
        "    retool.Group(f'g{i}', name=f'G{i}')\n"
        "retool.Folder('f', name='F', folder_type='app')\n"
    )
    project = CliProject(tmp_path, program)
    port = _closed_port()
    project.config(
        {"retool:host": f"127.0.0.1:{port}", "retool:scheme": "http", "retool:accessToken": "t"},
        secret=["retool:accessToken"],
    )
    started = time.monotonic()
    done = project.run("up", "--yes", "--skip-preview", timeout=400)
    elapsed = time.monotonic() - started
    print(f"up against a closed port failed after {elapsed:.1f} s")
    text = output(done)
    assert done.returncode != 0
    assert "Could not reach Retool" in text and f"127.0.0.1:{port}" in text
    assert elapsed < 60, f"took {elapsed:.0f} s"
    _quiet(text)


def _session(sid: int) -> dict[int, str]:
    """pid -> command line of the processes of session `sid`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


@pytest.mark.parametrize("launcher", ["exec", "shell"])
def test_plugins_end_by_themselves_after_pulumi_is_killed(
    tmp_path: Path, retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, launcher: str
) -> None:
    """`exec`: the provider's launcher execs python (ours), so the engine is its parent; `shell`:
    it runs python as a child of the shell, as Pulumi's own launcher script does, so the parent
    outlives the engine."""
    # The emulator holds the answer to the create: the engine is killed with it in flight.
    held, release = threading.Event(), threading.Event()
    original = retool_emulator.api.handle

    def handle(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        if method == "POST":
            held.set()
            release.wait(60)
        return original(method, path, headers, body)

    monkeypatch.setattr(retool_emulator.api, "handle", handle)
    monkeypatch.setattr(retool_emulator._server, "handle_error", lambda *_args: None)
    project = CliProject(tmp_path / "project", ONE_FOLDER)
    _connected(project, retool_emulator)
    env = dict(project.env)
    if launcher == "shell":
        bin_dir = tmp_path / "launcher"
        bin_dir.mkdir()
        script = bin_dir / "pulumi-resource-pulumi-python"
        script.write_text(f'#!/bin/sh\n"{sys.executable}" -u -m pulumi.dynamic "$@"\n')
        script.chmod(0o755)
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    proc = subprocess.Popen(
        project.command("up", "--yes", "--skip-preview"),
        cwd=project.dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert held.wait(120), "the create never reached Retool"
        members = " ".join(_session(proc.pid).values())
        assert "pulumi.dynamic" in members and "language_host" in members, members
        assert (launcher == "shell") == ("launcher/pulumi-resource-pulumi-python" in members), members
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 30
        while _session(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _session(proc.pid)
        assert not left, f"still running 30 s after `pulumi` was killed: {left}"
    finally:
        release.set()
        for pid in _session(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
