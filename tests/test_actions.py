"""The one-off actions (retool_pulumi.actions) against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from retool_pulumi import actions, connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.errors import BadRequestError, NotFoundError


@pytest.fixture
def em(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """The emulator, reached by the actions through the RETOOL_* variables."""
    for name in ("RETOOL_CONNECTIONS", "RETOOL_UNIX_SOCKET_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    connection.set_stack_config(None)
    connection.reset_clients()
    yield retool_emulator
    connection.reset_clients()


def _calls(em: Emulator) -> list[str]:
    return [f"{r['method']} {r['path'].removeprefix('/api/v2')}" for r in em.requests()]


class SlowDeployment:
    """Make deployments start RUNNING and end with `outcome` after `polls` polls (no real sleep)."""

    def __init__(
        self, em: Emulator, monkeypatch: pytest.MonkeyPatch, outcome: str | None, polls: int
    ) -> None:
        self.em, self.outcome, self.polls, self.slept = em, outcome, polls, 0
        em.store.source_control_config = {"provider": "GitHub", "org": "acme", "repo": "apps"}
        original = RetoolClient.request

        def request(client: RetoolClient, method: str, path: str, **kwargs: Any) -> Any:
            data = original(client, method, path, **kwargs)
            if method == "POST" and path == "/source_control/deploy":
                em.store.deployments[data["id"]].update(status="RUNNING", completed_at=None)
                data = {**data, "status": "RUNNING", "completed_at": None}
            return data

        monkeypatch.setattr(RetoolClient, "request", request)
        monkeypatch.setattr(actions.time, "sleep", self.sleep)
        self.now = 0.0
        monkeypatch.setattr(actions.time, "monotonic", lambda: self.now)

    def sleep(self, seconds: float) -> None:
        self.slept += 1
        self.now += seconds
        if self.outcome and self.slept >= self.polls:
            for dep in self.em.store.deployments.values():
                dep["status"] = self.outcome


def test_deploy_waits_until_the_deployment_succeeds(em: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = SlowDeployment(em, monkeypatch, "SUCCESS", polls=3)
    em.clear_requests()
    dep = actions.deploy_source_control(poll_interval=1)
    assert dep["status"] == "SUCCESS" and slow.slept == 3
    assert _calls(em) == ["POST /source_control/deploy"] + [f"GET /source_control/deployment/{dep['id']}"] * 3


def test_deploy_without_wait_returns_the_started_deployment(
    em: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    SlowDeployment(em, monkeypatch, None, polls=0)
    dep = actions.deploy_source_control(wait=False)
    assert dep["status"] == "RUNNING"


def test_a_failed_deployment_raises_with_its_id(em: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    SlowDeployment(em, monkeypatch, "ERROR", polls=2)
    with pytest.raises(actions.DeploymentError, match="failed") as info:
        actions.deploy_source_control()
    assert info.value.deployment["status"] == "ERROR" and info.value.deployment["id"] in str(info.value)


def test_a_deployment_that_never_ends_times_out(em: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = SlowDeployment(em, monkeypatch, None, polls=0)
    with pytest.raises(actions.DeploymentError, match=r"did not finish within 10s \(last status RUNNING\)"):
        actions.deploy_source_control(timeout=10, poll_interval=2)
    assert slow.slept == 5


def test_deploy_without_source_control_is_retools_error(em: Emulator) -> None:
    with pytest.raises(BadRequestError, match="not configured"):
        actions.deploy_source_control()


def test_an_immediate_success_needs_no_poll(em: Emulator) -> None:
    em.store.source_control_config = {"provider": "GitHub"}
    em.clear_requests()
    assert actions.deploy_source_control()["status"] == "SUCCESS"
    assert _calls(em) == ["POST /source_control/deploy"]


def test_clone_app(em: Emulator) -> None:
    source = next(a for a in em.store.apps.values())
    folder = em.backends.folders.root("app")
    assert folder is not None
    clone = actions.clone_app(source["id"], "Copy of it", folder_id=folder["id"])
    assert clone["name"] == "Copy of it" and clone["id"] != source["id"] and clone["id"] in em.store.apps
    with pytest.raises(NotFoundError):
        actions.clone_app("00000000-0000-4000-8000-000000000000", "x")


def test_copy_elements_to_space(em: Emulator, retool_client: RetoolClient) -> None:
    space = retool_client.post("/spaces", json={"name": "Team", "domain": "team.example.com"})
    app_id = next(iter(em.store.apps))
    copied = actions.copy_elements_to_space(space["id"], app_ids=[app_id])
    assert len(copied["app_ids"]) == 1 and copied["workflow_ids"] == []
    with pytest.raises(ValueError, match="at least one"):
        actions.copy_elements_to_space(space["id"])


def test_logout_and_reset_2fa(em: Emulator) -> None:
    admin = em.store.admin_user_id
    em.store.users[admin]["two_factor_auth_enabled"] = True
    assert actions.logout_user(admin) == {"sso_logout": False}
    assert "warning" in actions.logout_user(
        admin, sso_logout=True, post_logout_redirect_uri="https://x.example.com"
    )
    with pytest.raises(ValueError, match="sso_logout"):
        actions.logout_user(admin, post_logout_redirect_uri="https://x.example.com")
    actions.reset_user_2fa(admin)
    assert em.store.users[admin]["two_factor_auth_enabled"] is False
    with pytest.raises(NotFoundError):
        actions.reset_user_2fa("user_0")


def test_invalidate_sessions(em: Emulator) -> None:
    em.clear_requests()
    actions.invalidate_sessions()
    assert _calls(em) == ["POST /organization/invalidate_sessions/"]


def test_approve_and_deny_access_requests(em: Emulator) -> None:
    first, second = sorted(em.store.access_requests)
    assert actions.approve_access_request(first)["status"] == "APPROVED"
    assert actions.deny_access_request(str(second))["status"] == "DENIED"
    assert em.store.access_requests[first]["status"] == "APPROVED"
    with pytest.raises(BadRequestError, match="already"):
        actions.deny_access_request(first)
