"""One-off operations on a Retool organisation, as plain functions over the shared client.

They are not resources: call them from a script, or from a Pulumi program inside an `apply`
when the operation should follow a deployment. Each takes `connection` (a named connection
from `retool:connections`; None means the default one), like the resource classes.

    from retool_pulumi import actions
    actions.deploy_source_control()                     # and wait for it to finish
    actions.approve_access_request("42")
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from . import connection as _connection
from .client import RetoolClient, api_path
from .errors import RetoolError
from .types._common import NUMBER_ID, USER_ID

TERMINAL_STATUSES = ("SUCCESS", "ERROR")


class DeploymentError(RetoolError):
    """A source control deployment ended in ERROR, or did not finish in time."""

    def __init__(self, message: str, deployment: dict[str, Any]) -> None:
        super().__init__(message)
        self.deployment = deployment


def _client(connection: str | None) -> RetoolClient:
    return _connection.get_client(connection)


def _id(value: str | int, pattern: str, what: str, example: str) -> str:
    """`value` as an id of the form `pattern`, or a ValueError naming the argument (no request)."""
    text = str(value)
    if not re.fullmatch(pattern, text):
        raise ValueError(f"{what}: {text!r} is not such an id; expected one like {example!r}")
    return text


def deploy_source_control(
    *,
    wait: bool = True,
    timeout: float = 600.0,
    poll_interval: float = 2.0,
    connection: str | None = None,
) -> dict[str, Any]:
    """Deploy the latest changes from the source control repository to Retool.

    Starts a deployment (POST /source_control/deploy) and, with `wait` (the default), polls
    GET /source_control/deployment/{id} every `poll_interval` seconds until its status is
    SUCCESS or ERROR. Returns the deployment (`id`, `status`, `commit_sha`, `triggered_by`,
    `created_at`, `completed_at`); without `wait`, as it was when started.

    Raises DeploymentError if the deployment ends in ERROR, or if it has not finished after
    `timeout` seconds (it may still be running in Retool; the error carries its id)."""
    client = _client(connection)
    # Not retried on an ambiguous failure: a second deploy would start a second deployment.
    deployment = dict(client.post("/source_control/deploy"))
    if not wait:
        return deployment
    deadline = time.monotonic() + timeout
    while deployment.get("status") not in TERMINAL_STATUSES:
        if time.monotonic() >= deadline:
            raise DeploymentError(
                f"source control deployment {deployment.get('id')} did not finish within {timeout:g}s "
                f"(last status {deployment.get('status')}); it may still be running in Retool",
                deployment,
            )
        time.sleep(poll_interval)
        deployment = dict(client.get(api_path("/source_control/deployment/{}", deployment["id"])))
    if deployment["status"] == "ERROR":
        raise DeploymentError(
            f"source control deployment {deployment.get('id')} failed "
            f"(commit {deployment.get('commit_sha') or 'unknown'}); see Settings > Source Control in Retool",
            deployment,
        )
    return deployment


def clone_app(
    app_id: str, new_app_name: str, folder_id: str | None = None, *, connection: str | None = None
) -> dict[str, Any]:
    """Copy the app `app_id` as `new_app_name`, into `folder_id` (e.g. "app_12"; None keeps the
    source app's folder). Returns the new app (its `id`, `name`, `folder_id`, ...)."""
    body: dict[str, Any] = {"app_id": app_id, "new_app_name": new_app_name}
    if folder_id is not None:
        body["folder_id"] = folder_id
    return dict(_client(connection).post("/apps/cloneApp", json=body))


def copy_elements_to_space(
    destination_space_id: str,
    *,
    app_ids: Sequence[str] = (),
    workflow_ids: Sequence[str] = (),
    resource_ids: Sequence[str] = (),
    query_library_query_ids: Sequence[str] = (),
    connection: str | None = None,
) -> dict[str, list[str]]:
    """Copy apps (and modules), workflows, resources and Query Library queries into another
    space. Returns the ids of the copies, by kind (`app_ids`, `workflow_ids`, `resource_ids`,
    `query_library_query_ids`)."""
    body = {
        "destination_space_id": destination_space_id,
        "app_ids": list(app_ids),
        "workflow_ids": list(workflow_ids),
        "resource_ids": list(resource_ids),
        "query_library_query_ids": list(query_library_query_ids),
    }
    if not any(body[k] for k in ("app_ids", "workflow_ids", "resource_ids", "query_library_query_ids")):
        raise ValueError("copy_elements_to_space: name at least one app, workflow, resource or query to copy")
    data = _client(connection).post("/spaces/copyElements", json=body)
    return {k: list(v) for k, v in dict(data).items()}


def logout_user(
    user_id: str,
    *,
    sso_logout: bool = False,
    post_logout_redirect_uri: str | None = None,
    connection: str | None = None,
) -> dict[str, Any]:
    """End every Retool session of the user. With `sso_logout`, also start a logout at the SSO
    provider: the answer's `sso_logout_url` is where the user's browser must go (and `warning`
    says why that was not possible, if it was not)."""
    body: dict[str, Any] = {}
    if sso_logout:
        body["sso_logout"] = True
        if post_logout_redirect_uri is not None:
            body["post_logout_redirect_uri"] = post_logout_redirect_uri
    elif post_logout_redirect_uri is not None:
        raise ValueError("logout_user: post_logout_redirect_uri needs sso_logout=True")
    path = api_path("/users/{}/logout", _id(user_id, USER_ID, "logout_user: user_id", "user_ab12"))
    # Logging out twice is harmless: safe to retry.
    return dict(_client(connection).post(path, json=body, retry_safe=True))


def reset_user_2fa(user_id: str, *, connection: str | None = None) -> None:
    """Disable every two-factor authentication method of the user (they set it up again)."""
    _client(connection).put(
        api_path("/users/reset2fa/{}", _id(user_id, USER_ID, "reset_user_2fa: user_id", "user_ab12"))
    )


def invalidate_sessions(*, connection: str | None = None) -> None:
    """Sign every user of the organisation out (all sessions are invalidated)."""
    _client(connection).post("/organization/invalidate_sessions/", retry_safe=True)


def _decide(request_id: str | int, status: str, connection: str | None) -> dict[str, Any]:
    body = {"operations": [{"op": "replace", "path": "/status", "value": status}]}
    id_ = _id(request_id, NUMBER_ID, f"{status.lower()} access request: request_id", "42")
    return dict(_client(connection).patch(api_path("/access_requests/{}", id_), json=body))


def approve_access_request(request_id: str | int, *, connection: str | None = None) -> dict[str, Any]:
    """Approve a pending access request (the requester joins the organisation). Returns the
    updated request; a request already decided is an error from Retool."""
    return _decide(request_id, "APPROVED", connection)


def deny_access_request(request_id: str | int, *, connection: str | None = None) -> dict[str, Any]:
    """Deny a pending access request. Returns the updated request; a request already decided
    is an error from Retool."""
    return _decide(request_id, "DENIED", connection)


__all__ = [
    "DeploymentError",
    "approve_access_request",
    "clone_app",
    "copy_elements_to_space",
    "deny_access_request",
    "deploy_source_control",
    "invalidate_sessions",
    "logout_user",
    "reset_user_2fa",
]
