"""Source control configuration, settings and deployments; SSO configuration."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    get_or_404,
    no_content,
    not_found,
    ok,
    route,
)
from retool_pulumi.emulator.store import ENCRYPTED, Record, Store, now

# Credentials production never echoes back (divergence source-control-credential-masking).
CREDENTIAL_KEYS = {
    "private_key",
    "personal_access_token",
    "project_access_token",
    "access_key_id",
    "secret_access_key",
    "https_password",
    "app_password",
}
# Read back encrypted (divergence sso-secret-encryption); idp_metadata_xml comes back as sent.
SSO_SECRETS = ("google_client_secret", "oidc_client_secret", "ldap_server_key", "ldap_server_certificate")
CANARY = "__RETOOL_ENCRYPTED_JSON__"


def _render_config(config: Record) -> Record:
    data = copy.deepcopy(config)
    data["config"] = {k: ENCRYPTED if k in CREDENTIAL_KEYS else v for k, v in data["config"].items()}
    if data.get("provider") == "Bitbucket" and "app_password" in data["config"]:
        data["config"].pop("type", None)  # divergence bitbucket-type-not-returned
    return data


def _require_config(store: Store, status: int = 404) -> Record:
    if store.source_control_config is None:
        raise ApiError(status, "Source control is not configured")
    return store.source_control_config


@route("GET", "/source_control/config")
def read_config(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(_render_config(_require_config(store)))


@route("POST", "/source_control/config")
def create_config(store: Store, req: Request) -> Result:
    with store.lock:
        if store.source_control_config is not None:
            raise ApiError(409, "Source control is already configured")
        store.source_control_config = copy.deepcopy(req.body["config"])
        return ok(_render_config(store.source_control_config))


@route("PUT", "/source_control/config")
def set_config(store: Store, req: Request) -> Result:
    with store.lock:
        created = store.source_control_config is None
        store.source_control_config = copy.deepcopy(req.body["config"])
        return ok(_render_config(store.source_control_config), status=201 if created else 200)


@route("DELETE", "/source_control/config")
def delete_config(store: Store, req: Request) -> Result:
    with store.lock:
        _require_config(store)
        store.source_control_config = None
        return no_content()


@route("GET", "/source_control/test_connection")
def test_connection(store: Store, req: Request) -> Result:
    with store.lock:
        _require_config(store, 422)
        return ok({"success": True})


@route("GET", "/source_control/settings")
def read_settings(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(dict(store.source_control_settings))


@route("PUT", "/source_control/settings")
def set_settings(store: Store, req: Request) -> Result:
    with store.lock:
        store.source_control_settings.update(req.body["settings"])
        return ok(dict(store.source_control_settings))


def _deployment(store: Store, status: str) -> Record:
    did = store.new_uuid()
    return {
        "id": did,
        "status": status,
        "commit_sha": store.hex32()[:40].ljust(40, "0"),
        "triggered_by": store.admin_user_id,
        "created_at": now(),
        "completed_at": now() if status in ("SUCCESS", "ERROR") else None,
    }


@route("POST", "/source_control/deploy")
def deploy(store: Store, req: Request) -> Result:
    with store.lock:
        _require_config(store, 400)
        dep = _deployment(store, "SUCCESS")
        store.deployments[dep["id"]] = dep
        return ok(dict(dep))


@route("GET", "/source_control/deployment/{id}")
def read_deployment(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(dict(get_or_404(store.deployments, req.params["id"], "Deployment")))


@route("GET", "/source_control/deployments")
def list_deployments(store: Store, req: Request) -> Result:
    with store.lock:
        _require_config(store)
        return ok({"deployments": [dict(d) for d in reversed(list(store.deployments.values()))]})


# ---- SSO -----------------------------------------------------------------------------------


def _encrypt(store: Store, value: Any) -> str:
    """Production's shape: a JSON string with a canary, the same for the same plaintext (a digest
    keyed by the organisation stands in for the ciphertext: never the plaintext itself)."""
    digest = hashlib.sha256(f"retool-emulator:{store.seed}:{value}".encode()).hexdigest()
    return json.dumps({"canaryValue": CANARY, "iv": digest[:24], "data": digest[24:]}, separators=(",", ":"))


@route("GET", "/sso/config")
def read_sso(store: Store, req: Request) -> Result:
    with store.lock:
        if store.sso_config is None:
            raise not_found("SSO is not configured")
        return ok(copy.deepcopy(store.sso_config))


@route("POST", "/sso/config")
def set_sso(store: Store, req: Request) -> Result:
    with store.lock:
        config = copy.deepcopy(req.body["data"])
        for key in SSO_SECRETS:
            if key in config:
                config[key] = _encrypt(store, config[key])
        store.sso_config = config
        return ok(copy.deepcopy(config))


@route("DELETE", "/sso/config")
def delete_sso(store: Store, req: Request) -> Result:
    with store.lock:
        store.sso_config = None
        return no_content()
