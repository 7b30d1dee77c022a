"""Kills: SIGKILL the engine (the `pulumi` CLI and the plugins it started, as a crash would) at
random points during `pulumi up`, 10 times, each followed by the recovery flow a user runs,
`python -m retool_pulumi.recover` (empty checkpoint sidecar removed, `pulumi cancel`, pending
creates looked up in Retool by natural key and recorded or dropped, `pulumi refresh`; see
retool_pulumi/recover.py), then `pulumi up` again. At the end the organisation holds every
declared object exactly once, nothing else, and the state knows them all."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from tests.engine import REPO, TOOLS, engine_env
from tests.reliability.support import duplicates, expected_names, names_in_org

N = 120
KILLS = 10
PREFIX = "kil"
STACK = "kills"


def _project(workdir: Path) -> None:
    (workdir / "Pulumi.yaml").write_text(
        "name: retool-kills\n"
        "runtime:\n"
        "  name: python\n"
        "  options:\n"
        "    toolchain: pip\n"
        f"    virtualenv: {REPO / '.venv'}\n"
    )
    (workdir / "__main__.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from tests.reliability.support import mixed_program\n"
        f"mixed_program({N}, {PREFIX!r})()\n"
    )


def _pulumi(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "--non-interactive", *args, "--stack", STACK],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, f"pulumi {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def _session_members(sid: int) -> list[int]:
    """Processes of session `sid` (the killed engine's plugins, re-parented to init)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:
            pids.append(int(entry.name))
    return pids


def _kill_engine(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the CLI, then the plugins it started (they share its session)."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for pid in _session_members(proc.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def _writes(em: Emulator) -> int:
    return sum(1 for r in em.requests() if r["method"] in ("POST", "PATCH", "PUT", "DELETE"))


def _recover(workdir: Path, env: dict[str, str]) -> tuple[int, int]:
    """The shipped recovery command, as a user would run it after a crash."""
    out = subprocess.run(
        [sys.executable, "-m", "retool_pulumi.recover", "--stack", STACK, "--cwd", str(workdir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    adopted, dropped = (int(w) for w in out.stdout.split() if w.isdigit())
    return adopted, dropped


def test_ten_sigkills_during_up_with_recovery_converge_without_duplicates(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str], retool_client: RetoolClient
) -> None:
    rng = random.Random(int(os.environ.get("KILLS_SEED", "8")))
    _project(tmp_path)
    env = {
        **os.environ,
        **engine_env(
            {
                **retool_env,
                "RETOOL_REQUESTS_PER_MINUTE": "0",
                "PULUMI_BACKEND_URL": f"file://{tmp_path / 'backend'}",
            }
        ),
    }
    (tmp_path / "backend").mkdir()
    _pulumi(tmp_path, env, "stack", "init")

    adopted = dropped = 0
    for _ in range(KILLS):
        start = _writes(retool_emulator)
        remaining = N - sum(names_in_org(retool_emulator, PREFIX).values())
        target = start + rng.randint(1, min(12, max(1, remaining // 2)))  # a random point of the up
        proc = subprocess.Popen(
            [str(TOOLS / "bin" / "pulumi"), "--non-interactive", "up", "--yes", "--skip-preview"],
            cwd=tmp_path,
            env={**env, "PULUMI_STACK": STACK},
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while proc.poll() is None and _writes(retool_emulator) < target:
            time.sleep(0.005)
        assert proc.poll() is None, "the up finished before it could be killed: raise N"
        _kill_engine(proc)
        got = _recover(tmp_path, env)
        adopted, dropped = adopted + got[0], dropped + got[1]
        assert duplicates(names_in_org(retool_emulator, PREFIX)) == {}

    _pulumi(tmp_path, env, "up", "--yes", "--skip-preview")
    counts = names_in_org(retool_emulator, PREFIX)
    assert duplicates(counts) == {}
    assert set(counts) == expected_names(N, PREFIX)

    state = json.loads(_pulumi(tmp_path, env, "stack", "export").stdout)["deployment"]
    assert not state.get("pending_operations")
    in_state = [r for r in state["resources"] if str(r["type"]).startswith("pulumi-python:dynamic/retool:")]
    assert sorted(r["outputs"]["name"] for r in in_state) == sorted(expected_names(N, PREFIX))
    preview = _pulumi(tmp_path, env, "preview", "--json")
    steps = [s["op"] for s in json.loads(preview.stdout).get("steps", []) if s["op"] != "same"]
    assert steps == [], f"after recovery the stack must preview clean: {steps}"
    print(f"{KILLS} kills: {adopted} pending creates adopted, {dropped} dropped", file=sys.stderr)
