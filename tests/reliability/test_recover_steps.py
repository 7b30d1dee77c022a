"""Recovery's own decisions, with `pulumi` replaced by a fake that answers from a file backend
laid out here (the real engine runs them in test_kills.py): which locks it removes, and that a
natural key inside a secret is read decrypted in memory only, never written."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

from retool_pulumi import connection, recover
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import spec_for
from retool_pulumi.errors import RetoolError

STACK = "organization/proj/dev"
DSN = "https://sentry-key-3c9e71@o1.ingest.sentry.io/7"
SIG = "4dabf18193072939515e22adb298388d"


class FakePulumi:
    """Answers recovery's `pulumi` commands; records them (and the file given to import)."""

    def __init__(self, backend: Path, url: str = "") -> None:
        self.backend = backend
        self.url = url or f"file://{backend}"
        self.calls: list[tuple[str, ...]] = []
        self.exported: dict[str, Any] = {"deployment": {"resources": []}}
        self.decrypted: dict[str, Any] = self.exported
        self.imported = ""

    def __call__(self, cwd: Path, stack: str | None, *args: str) -> str:
        self.calls.append(args)
        if args[0] == "whoami":
            return json.dumps({"user": "ci", "url": self.url})
        if args[:2] == ("stack", "--show-name"):
            return STACK + "\n"
        if args[0] == "cancel":
            for lock in self.lock_dir().glob("*.json"):
                lock.unlink()
            return ""
        if args[:2] == ("stack", "export"):
            return json.dumps(self.decrypted if "--show-secrets" in args else self.exported)
        if args[:2] == ("stack", "import"):
            self.imported = Path(args[args.index("--file") + 1]).read_text()
        return ""

    def lock_dir(self) -> Path:
        return self.backend / ".pulumi" / "locks" / STACK

    def lock(self, pid: int, host: str | None = None) -> Path:
        self.lock_dir().mkdir(parents=True, exist_ok=True)
        path = self.lock_dir() / f"{uuid.uuid4()}.json"
        content = {
            "pid": pid,
            "username": "ci",
            "hostname": host or socket.gethostname(),
            "timestamp": "2026-01-02T03:04:05.123456789Z",
        }
        path.write_text(json.dumps(content))
        return path

    def cancelled(self) -> bool:
        return ("cancel", "--yes") in self.calls


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePulumi:
    pulumi = FakePulumi(tmp_path / "backend")
    monkeypatch.setattr(recover, "_pulumi", pulumi)
    return pulumi


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_the_lock_of_a_running_update_is_left_alone_and_named(
    fake: FakePulumi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = fake.lock(pid=os.getpid())
    assert recover.main(["--cwd", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"pid {os.getpid()} (still running)" in err and "--force-cancel" in err
    assert lock.exists() and not fake.cancelled()
    assert [c for c in fake.calls if c[0] not in ("whoami", "stack")] == []  # nothing else ran


def test_a_lock_from_another_host_is_left_alone(fake: FakePulumi, tmp_path: Path) -> None:
    lock = fake.lock(pid=_dead_pid(), host="build-agent-7")
    with pytest.raises(recover.LiveUpdateError, match="on another host: cannot tell"):
        recover.recover(tmp_path)
    assert lock.exists() and not fake.cancelled()


def test_the_lock_of_a_killed_update_is_removed(fake: FakePulumi, tmp_path: Path) -> None:
    pid = _dead_pid()
    fake.lock(pid=pid)
    result = recover.recover(tmp_path)
    assert fake.cancelled() and len(result.cancelled) == 1 and f"pid {pid} (gone)" in result.cancelled[0]
    assert ("refresh", "--yes", "--skip-preview") in fake.calls


def test_force_cancel_removes_a_live_lock_and_no_lock_means_no_cancel(
    fake: FakePulumi, tmp_path: Path
) -> None:
    recover.recover(tmp_path)
    assert not fake.cancelled()
    fake.lock(pid=os.getpid())
    recover.recover(tmp_path, force_cancel=True)
    assert fake.cancelled() and not list(fake.lock_dir().glob("*.json"))


def test_other_backends_cancel_only_when_forced(fake: FakePulumi, tmp_path: Path) -> None:
    fake.url = "https://api.pulumi.com"
    recover.recover(tmp_path)
    assert not fake.cancelled()
    recover.recover(tmp_path, force_cancel=True)
    assert fake.cancelled()


@pytest.fixture
def retool(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[RetoolClient]:
    for name, value in {
        "RETOOL_HOST": retool_emulator.host,
        "RETOOL_ACCESS_TOKEN": retool_emulator.token,
        "RETOOL_SCHEME": "http",
        "RETOOL_REQUESTS_PER_MINUTE": "0",
    }.items():
        monkeypatch.setenv(name, value)
    connection.set_stack_config(None)
    connection.reset_clients()
    client = RetoolClient(retool_emulator.host, retool_emulator.token, scheme="http", requests_per_minute=0)
    yield client
    client.close()
    connection.reset_clients()


def _pending(config: Any) -> dict[str, Any]:
    urn = "urn:pulumi:dev::proj::pulumi-python:dynamic/retool:ObservabilityConfig::sentry"
    resource = {
        "urn": urn,
        "custom": True,
        "type": "pulumi-python:dynamic/retool:ObservabilityConfig",
        "inputs": {"__provider": "gASV", "config": config, "enabled": True},
    }
    return {
        "deployment": {"resources": [], "pending_operations": [{"resource": resource, "type": "creating"}]}
    }


def test_a_natural_key_inside_a_secret_is_read_decrypted_in_memory_only(
    fake: FakePulumi, tmp_path: Path, retool: RetoolClient
) -> None:
    """ObservabilityConfig is found by its provider, which sits in the secret `config`: the
    plain export holds ciphertext only, so recovery reads the key from a `--show-secrets`
    export in memory, and what it imports (written to a file) holds the ciphertext still."""
    config = {"provider": "Sentry", "dsn": DSN}
    made = retool.post("/observability/config", json={"config": config, "enabled": True})
    cipher = {SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:ABCDEF=="}
    fake.exported = _pending(cipher)
    fake.decrypted = _pending({SIG: "1b47061264138c4ac30d75fd1eb44270", "plaintext": json.dumps(config)})
    result = recover.recover(tmp_path)
    assert [(e["type"], e["id"]) for e in result.adopted] == [("ObservabilityConfig", made["id"])]
    assert ("stack", "export", "--show-secrets") in fake.calls
    imported = json.loads(fake.imported)["deployment"]
    assert imported["pending_operations"] == []
    assert imported["resources"][0]["id"] == made["id"]
    assert imported["resources"][0]["outputs"]["config"] == cipher
    assert DSN not in fake.imported and "sentry-key" not in fake.imported


def _pending_token(label: str, managed: list[str]) -> dict[str, Any]:
    base = "urn:pulumi:dev::proj::pulumi-python:dynamic/retool:AccessToken::"
    inputs = {"__provider": "gASV", "label": label, "scopes": ["apps:read"]}
    kind = "pulumi-python:dynamic/retool:AccessToken"
    resources = [
        {
            "urn": f"{base}old-{i}",
            "custom": True,
            "type": kind,
            "id": id_,
            "inputs": inputs,
            "outputs": inputs,
        }
        for i, id_ in enumerate(managed)
    ]
    pending = {
        "resource": {"urn": f"{base}ci", "custom": True, "type": kind, "inputs": inputs},
        "type": "creating",
    }
    return {"deployment": {"resources": resources, "pending_operations": [pending]}}


def test_a_token_the_killed_update_may_have_minted_is_named_not_adopted(
    fake: FakePulumi,
    tmp_path: Path,
    retool: RetoolClient,
    retool_emulator: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tokens like the pending one made since the killed update started (its lock's time), and
    not managed by the stack, are named; older ones and managed ones are not."""
    body = {"label": "ci", "scopes": ["apps:read"]}
    old, managed, minted = (str(retool.post("/access_tokens", json=body)["id"]) for _ in range(3))
    retool.post("/access_tokens", json={**body, "label": "other"})
    retool_emulator.store.access_tokens[old]["created_at"] = "2025-12-31T23:59:59.000Z"
    fake.lock(pid=_dead_pid())  # taken at 2026-01-02T03:04:05Z
    fake.exported = _pending_token("ci", managed=[managed])
    assert recover.main(["--cwd", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"ACTION NEEDED: the interrupted update may have made AccessToken {minted} (created at" in out
    assert old not in out and managed not in out
    imported = json.loads(fake.imported)["deployment"]
    assert imported["pending_operations"] == [] and [r["id"] for r in imported["resources"]] == [managed]


def test_a_token_recovery_cannot_look_for_is_still_an_action_needed(
    fake: FakePulumi, tmp_path: Path, retool: RetoolClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*_args: Any) -> list[dict[str, Any]]:
        raise RetoolError("GET /access_tokens: 403")

    monkeypatch.setattr(type(spec_for("AccessToken")), "find_created_since", forbidden)
    fake.exported = _pending_token("ci", managed=[])
    result = recover.recover(tmp_path)
    assert result.unadoptable == [
        {"urn": ANY, "type": "AccessToken", "found": [], "unchecked": "GET /access_tokens: 403"}
    ]
    assert "listing them to check failed" in recover._report(result)
