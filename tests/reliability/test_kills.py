"""Kills: SIGKILL the engine (the `pulumi` CLI and the plugins it started, as a crash would)
during `pulumi up` of a program with every type that can be created (two copies), while
creates are in flight, then run the recovery a user runs (`python -m retool_pulumi.recover`,
see retool_pulumi/recover.py) and `pulumi up` again, until every type had a create in flight at
a kill.

In flight means applied by Retool with the answer not yet sent: the emulator holds the answer
of the first write of each type not yet covered (one per type and round; the provider serves
4 calls at once, so a round holds up to 4 types), and the engine is killed once nothing else
moves. Each round asserts what recovery claims: every held create of a type with a natural key
was adopted with the id Retool gave it, a held token was named for the user to revoke (the
test then revokes it, as the user would), a held repeatable create was left for `up` to send
again; and, before the first kill, that recovery refused to touch the lock of the update that
was still running. At the end Retool holds exactly what a clean `up` makes (nothing twice), the
state knows every object and previews clean."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from retool_pulumi import connection
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import all_specs, spec_for
from tests.engine import REPO, TOOLS, engine_env
from tests.reliability.every_type import ProviderRun, census, declare

pytestmark = pytest.mark.engine

STACK = "kills"
TAGS = ("t0", "t1")
MAX_ROUNDS = 14
QUIET = 0.6  # seconds without a request, with answers held: the engine waits on them


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
        "from tests.reliability.every_type import declare, in_program\n"
        f"for tag in {TAGS!r}:\n"
        "    declare(in_program, tag)\n"
    )


def _pulumi(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "--non-interactive", *args, "--stack", STACK],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
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


# The writes that create each kind (path without /api/v2): a POST to the collection, except these.
_SPECIAL_WRITES = {
    "GroupMember": r"POST /groups/\d+/members",
    "Permission": r"POST /permissions/grant",
    "UserAttributeValue": r"POST /users/[^/]+/user_attributes",
}


def kind_of_write(method: str, raw_path: str) -> str | None:
    """The kind whose create sends this write, if any."""
    path = raw_path.split("?")[0].removeprefix("/api/v2").rstrip("/")
    for kind, pattern in _SPECIAL_WRITES.items():
        if re.fullmatch(pattern, f"{method} {path}"):
            return kind
    for spec in all_specs():
        if spec.kind in _SPECIAL_WRITES or path != spec.collection.rstrip("/"):
            continue
        if method == "POST" or (spec.singleton and method in ("PUT", "PATCH")):
            return spec.kind
    return None


class Hold:
    """Holds the answer of the first applied write of each kind in `kinds` (one per kind per
    round) until released: the engine is killed while the create is in flight."""

    def __init__(self, em: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
        self.kinds: set[str] = set()
        self.held: list[tuple[str, str]] = []  # (kind, id in the answer or "")
        self.last_request = time.monotonic()
        self.release = threading.Event()
        self.release.set()
        self._lock = threading.Lock()
        original = em.api.handle

        def handle(method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Any:
            response = original(method, raw_path, headers, body)
            kind = kind_of_write(method, raw_path) if response.status < 400 else None
            with self._lock:
                self.last_request = time.monotonic()
                hold = kind in self.kinds and not self.release.is_set()
                if hold:
                    self.kinds.discard(str(kind))
                    data = response.body.get("data", response.body) if isinstance(response.body, dict) else {}
                    self.held.append((str(kind), str(data.get("id", "")) if isinstance(data, dict) else ""))
            if hold:
                self.release.wait(120)
            return response

        monkeypatch.setattr(em.api, "handle", handle)
        # Held answers go to the sockets of a killed engine: not worth a traceback each.
        monkeypatch.setattr(em._server, "handle_error", lambda *_args: None)

    def arm(self, kinds: set[str]) -> None:
        with self._lock:
            self.kinds, self.held = set(kinds), []
            self.release.clear()

    def settled(self) -> bool:
        """Something is held and nothing has moved for QUIET seconds."""
        with self._lock:
            return bool(self.held) and time.monotonic() - self.last_request > QUIET

    def disarm(self) -> list[tuple[str, str]]:
        with self._lock:
            self.kinds = set()
            self.release.set()
            return list(self.held)


def _recover(workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The shipped recovery command, as a user would run it after a crash."""
    return subprocess.run(
        [sys.executable, "-m", "retool_pulumi.recover", "--stack", STACK, "--cwd", str(workdir), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def reference(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """What a clean run of the program leaves in Retool (through the provider, no engine)."""
    with Emulator() as clean:
        monkeypatch.setenv("RETOOL_HOST", clean.host)
        monkeypatch.setenv("RETOOL_ACCESS_TOKEN", clean.token)
        monkeypatch.setenv("RETOOL_SCHEME", "http")
        monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
        connection.reset_clients()
        run = ProviderRun()
        for tag in TAGS:
            declare(run.make, tag)
        assert run.errors == {}
        counts = census(clean)
    connection.reset_clients()
    yield counts


def test_sigkills_with_creates_of_every_type_in_flight_recover_without_duplicates(
    tmp_path: Path,
    retool_emulator: Emulator,
    retool_env: dict[str, str],
    reference: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = time.monotonic()
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
    hold = Hold(retool_emulator, monkeypatch)
    uncovered = {s.kind for s in all_specs()}
    rounds: list[list[str]] = []
    adopted = 0

    for round_ in range(MAX_ROUNDS):
        hold.arm(uncovered)
        log = tmp_path / f"up-{round_}.log"
        proc = subprocess.Popen(
            [str(TOOLS / "bin" / "pulumi"), "--non-interactive", "up", "--yes", "--skip-preview"],
            cwd=tmp_path,
            env={**env, "PULUMI_STACK": STACK},
            start_new_session=True,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        while proc.poll() is None and not hold.settled():
            time.sleep(0.02)
        if proc.poll() is not None:
            assert not hold.disarm(), "the up ended while answers were held"
            assert proc.returncode == 0, log.read_text()[-3000:]
            break
        if round_ == 0:
            # The update is alive (waiting on the held answers): recovery must not remove its lock.
            refused = _recover(tmp_path, env)
            assert refused.returncode == 2, refused.stdout + refused.stderr
            assert f"pid {proc.pid} (still running)" in refused.stderr, refused.stderr
            locks = list((tmp_path / "backend" / ".pulumi" / "locks").rglob("*.json"))
            assert len(locks) == 1, "recovery removed the lock of a running update"
        _kill_engine(proc)
        held = hold.disarm()
        out = _recover(tmp_path, env)
        assert out.returncode == 0, out.stderr[-3000:]
        result = json.loads(out.stdout)
        assert result["cancelled"], "the killed update's lock was not removed"
        got = {(e["type"], e["id"]) for e in result["adopted"]}
        adopted += len(got)
        for kind, id_ in held:
            spec = spec_for(kind)
            if spec.natural_key and not id_:
                # The answer carried no id (a role grant's 201 has no body): adopted all the same.
                assert kind in {k for k, _ in got}, f"held {kind} not adopted ({held}): {result}"
            elif spec.natural_key:
                assert (kind, id_) in got, f"held {kind} {id_} not adopted ({held}): {result}"
            elif spec.returned_once:
                named = [t for e in result["unadoptable"] if e["type"] == kind for t in e["found"]]
                assert id_ in [t["id"] for t in named], f"minted {kind} {id_} not reported: {result}"
                with retool_emulator.store.lock:  # the user revokes it, as told
                    del retool_emulator.store.access_tokens[id_]
            else:
                assert kind in {e["type"] for e in result["repeated"]}, f"{kind} not left to repeat: {result}"
        uncovered -= {kind for kind, _ in held}
        rounds.append(sorted(kind for kind, _ in held))

    assert uncovered == set(), f"types never in flight at a kill: {uncovered} (rounds: {rounds})"
    _pulumi(tmp_path, env, "up", "--yes", "--skip-preview")
    got_counts = census(retool_emulator)
    diff = {k: (got_counts[k], reference[k]) for k in reference | got_counts if got_counts[k] != reference[k]}
    assert diff == {}, f"Retool differs from a clean run (got, expected): {diff}"

    state = json.loads(_pulumi(tmp_path, env, "stack", "export").stdout)["deployment"]
    assert not state.get("pending_operations")
    in_state = [r for r in state["resources"] if "dynamic/retool:" in str(r["type"])]
    per_kind = {s.kind: 0 for s in all_specs()}
    for r in in_state:
        per_kind[str(r["type"]).rsplit(":", 1)[-1]] += 1
    assert per_kind == {s.kind: 1 if s.singleton else len(TAGS) for s in all_specs()}
    preview = _pulumi(tmp_path, env, "preview", "--json")
    steps = [(s["op"], s["urn"]) for s in json.loads(preview.stdout).get("steps", []) if s["op"] != "same"]
    assert steps == [], f"after recovery the stack must preview clean: {steps}"
    print(
        f"{len(rounds)} kills covering {sum(map(len, rounds))} in-flight creates of every type "
        f"({adopted} adopted) in {time.monotonic() - started:.0f} s: {rounds}",
        file=sys.stderr,
    )
