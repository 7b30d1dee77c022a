"""The emulator is safe to leave running on a developer machine: its test hooks need the token,
foreign `Host` and `Origin` headers are refused (DNS rebinding, CSRF), the state file is private
and written off the request path, and slow or huge requests cannot pin threads or memory."""

from __future__ import annotations

import http.client
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from emulator_support import call

from retool_pulumi.emulator import Emulator
from retool_pulumi.emulator import store as store_module
from retool_pulumi.emulator.server import DEFAULT_MAX_BODY_BYTES


def raw(
    em: Emulator, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, Any]:
    """One request with exactly these headers (http.client adds Host only when not given)."""
    conn = http.client.HTTPConnection(em.host, timeout=10)
    try:
        conn.request(method, path, body, headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, json.loads(data) if data else None
    finally:
        conn.close()


def auth(em: Emulator, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {em.token}", **extra}


# ---- hooks ------------------------------------------------------------------------------------


def test_hooks_answer_only_with_the_token(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    for method, hook in (
        ("GET", "/__emulator__/state"),
        ("GET", "/__emulator__/requests"),
        ("DELETE", "/__emulator__/requests"),
        ("GET", "/__emulator__/faults"),
    ):
        for token in (None, "wrong"):
            status, body, _ = call(url, method, hook, token=token)
            assert status == 401, (method, hook, token)
            assert body["success"] is False and "token" in body["message"]
    assert call(url, "POST", "/__emulator__/reset", {}, token=None)[0] == 401
    assert call(url, "PUT", "/__emulator__/faults", {"error_rate": 1.0}, token=None)[0] == 401
    assert retool_emulator.faults.settings()["error_rate"] == 0.0
    status, state, _ = call(url, "GET", "/__emulator__/state")
    assert status == 200 and state["collections"]["users"]


def test_reset_with_a_plain_text_body_is_refused(retool_emulator: Emulator) -> None:
    # What a web page can send without a CORS preflight; even with the token it is not a JSON body.
    retool_emulator.store.update("folders", "app_2", name="kept")
    status, body = raw(retool_emulator, "POST", "/__emulator__/reset", auth(retool_emulator), b"{}")
    assert status == 415 and "application/json" in body["message"]
    for content_type, expected in (("text/plain", 415), ("application/json", 200)):
        headers = auth(retool_emulator, **{"Content-Type": content_type})
        status, _ = raw(retool_emulator, "POST", "/__emulator__/reset", headers, b"{}")
        assert status == expected
        assert (retool_emulator.store.folders["app_2"]["name"] == "kept") is (expected == 415)


# ---- Host and Origin (DNS rebinding, CSRF) ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v2/folders", "/__emulator__/state", "/nope"])
def test_a_foreign_host_header_is_refused_on_every_route(retool_emulator: Emulator, path: str) -> None:
    port = retool_emulator.port
    for host in (f"rebind.example.com:{port}", f"127.0.0.1:{port + 1}", "rebind.example.com", "127.0.0.1"):
        status, body = raw(retool_emulator, "GET", path, auth(retool_emulator, Host=host))
        assert status == 403, host
        assert "Host" in body["message"]


def test_loopback_names_and_the_bound_address_are_accepted(retool_emulator: Emulator) -> None:
    port = retool_emulator.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert raw(retool_emulator, "GET", "/api/v2/folders", auth(retool_emulator, Host=host))[0] == 200


def test_extra_host_names_can_be_allowed() -> None:
    with Emulator(allowed_hosts=["retool-emulator"]) as em:
        host = f"retool-emulator:{em.port}"
        assert raw(em, "GET", "/api/v2/folders", auth(em, Host=host))[0] == 200
        assert raw(em, "GET", "/api/v2/folders", auth(em, Host=f"other:{em.port}"))[0] == 403


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://127.0.0.1:{port}"])
def test_a_foreign_origin_is_refused_on_every_route(retool_emulator: Emulator, origin: str) -> None:
    origin = origin.format(port=retool_emulator.port)
    retool_emulator.store.update("folders", "app_2", name="kept")
    # The request a web page may send to wipe the org: a "simple" text/plain POST.
    headers = auth(retool_emulator, Origin=origin, **{"Content-Type": "text/plain"})
    status, body = raw(retool_emulator, "POST", "/__emulator__/reset", headers, b"{}")
    assert status == 403 and "Origin" in body["message"]
    assert retool_emulator.store.folders["app_2"]["name"] == "kept"
    status, _ = raw(retool_emulator, "GET", "/api/v2/folders", auth(retool_emulator, Origin=origin))
    assert status == 403


def test_the_emulators_own_origin_is_accepted(retool_emulator: Emulator) -> None:
    for origin in (retool_emulator.base_url, f"http://localhost:{retool_emulator.port}"):
        assert raw(retool_emulator, "GET", "/api/v2/folders", auth(retool_emulator, Origin=origin))[0] == 200


# ---- limits -----------------------------------------------------------------------------------------


def test_an_oversized_body_is_refused_before_it_is_read(retool_emulator: Emulator) -> None:
    # No token and no body bytes: the declared length alone is refused, at once.
    headers = {"Content-Length": str(DEFAULT_MAX_BODY_BYTES + 1), "Content-Type": "application/json"}
    conn = http.client.HTTPConnection(retool_emulator.host, timeout=5)
    conn.putrequest("POST", "/api/v2/folders")
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.endheaders()
    resp = conn.getresponse()
    assert resp.status == 413
    assert str(DEFAULT_MAX_BODY_BYTES) in json.loads(resp.read())["message"]
    conn.close()
    small = json.dumps({"name": "fits", "folder_type": "app"}).encode()
    assert raw(retool_emulator, "POST", "/api/v2/folders", auth(retool_emulator), small)[0] == 200


def test_a_chunked_or_malformed_length_body_is_refused(retool_emulator: Emulator) -> None:
    sock = socket.create_connection((retool_emulator._host, retool_emulator.port), timeout=5)
    try:
        sock.sendall(
            f"POST /api/v2/folders HTTP/1.1\r\nHost: {retool_emulator.host}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".encode()
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 411")
    finally:
        sock.close()
    assert raw(retool_emulator, "POST", "/api/v2/folders", {"Content-Length": "-5"})[0] == 400


def test_a_stalled_request_is_dropped_after_the_socket_timeout() -> None:
    with Emulator(request_timeout=0.3) as em:
        sock = socket.create_connection((em._host, em.port), timeout=10)
        try:
            sock.sendall(b"GET /api/v2/folders HTTP/1.1\r\n")  # ... and never the rest
            assert sock.recv(100) == b"", "the server closes the half-open request"
        finally:
            sock.close()


def test_the_request_log_keeps_the_latest_entries_only() -> None:
    with Emulator(max_logged_requests=3) as em:
        for i in range(5):
            call(em.base_url, "GET", f"/api/v2/folders?limit={i + 1}", token=em.token)
        assert [r["query"] for r in em.requests()] == ["limit=3", "limit=4", "limit=5"]


# ---- the state file ---------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_state_file_and_its_temporary_file_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        modes.append(stat.S_IMODE(os.stat(src).st_mode))
        real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", replace)
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as em:
        call(em.base_url, "POST", "/api/v2/folders", {"name": "kept", "folder_type": "app"})
    assert modes and set(modes) == {0o600}
    assert _mode(state) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"], "no temporary file is left behind"

    state.chmod(0o644)  # a file written by an older version
    with Emulator(state_file=state) as em:
        assert em.store.find("folders", name="kept") is not None
        assert _mode(state) == 0o600


def test_responses_do_not_wait_for_the_state_file_and_writes_coalesce(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state.json"
    release = threading.Event()
    entered = threading.Event()
    saves: list[int] = []
    real_save = store_module.Store.save_file

    def slow_save(self: store_module.Store, path: str | Path) -> None:
        saves.append(len(self.folders))
        entered.set()
        assert release.wait(10)
        real_save(self, path)

    monkeypatch.setattr(store_module.Store, "save_file", slow_save)
    with Emulator(state_file=state) as em:
        for i in range(20):  # each answered while the state file write is stuck
            status, _, _ = call(
                em.base_url, "POST", "/api/v2/folders", {"name": f"f{i}", "folder_type": "app"}
            )
            assert status == 200
        assert entered.wait(10), "the writer started writing"
        release.set()
        em.save_state()  # returns once everything so far is on disk
        assert len(saves) <= 3, f"20 writes were not coalesced: {saves}"
        on_disk = json.loads(state.read_text())
        assert {f"f{i}" for i in range(20)} <= {f["name"] for f in on_disk["collections"]["folders"]}


def test_state_written_in_the_background_without_a_stop(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    em = Emulator(state_file=state).start()
    try:
        call(em.base_url, "POST", "/api/v2/folders", {"name": "early", "folder_type": "app"})
        deadline = threading.Event()
        for _ in range(200):  # the writer persists within its interval; wait for it (no timing assert)
            if state.exists() and "early" in state.read_text():
                break
            deadline.wait(0.05)
        assert "early" in state.read_text()
    finally:
        em.stop()


# ---- ids ---------------------------------------------------------------------------------------------


def test_two_emulators_hand_out_different_ids_unless_given_the_same_seed() -> None:
    def ids(em: Emulator) -> tuple[str, str]:
        body = {"name": "qa", "color": "#123456", "description": "x"}
        _, created, _ = call(em.base_url, "POST", "/api/v2/environments", body, token=em.token)
        return em.store.admin_user_id, created["data"]["id"]

    with Emulator() as a, Emulator() as b:
        assert a.seed != b.seed
        first, second = ids(a), ids(b)
        assert first[0] != second[0] and first[1] != second[1]
    with Emulator(seed=7) as a, Emulator(seed=7) as b:
        assert ids(a) == ids(b)


def test_the_cli_writes_its_state_completely_on_sigterm(tmp_path: Path) -> None:
    state = tmp_path / "org.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "retool_pulumi.emulator", "--port", "0", "--state", str(state), "--seed", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        base = proc.stdout.readline().strip().rsplit(" ", 1)[1]
        assert proc.stderr.readline().strip() == "seed 5"
        for i in range(30):
            call(base, "POST", "/api/v2/folders", {"name": f"cli-{i}", "folder_type": "app"})
        status, hooked, _ = call(base, "GET", "/__emulator__/state")
        assert status == 200 and hooked["seed"] == 5
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    on_disk = json.loads(state.read_text())
    assert {f"cli-{i}" for i in range(30)} <= {f["name"] for f in on_disk["collections"]["folders"]}
    assert _mode(state) == 0o600
