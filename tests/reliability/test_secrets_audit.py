"""Secrets audit: a program with every type that takes a secret (Resource options,
ResourceConfiguration options, a secret ConfigurationVariable, the SSO client secret, the
source control token) goes through up, preview, refresh, an update that rotates the secrets,
and destroy, with the engine at maximum verbosity (`-v=9 --logtostderr --logflow --debug`) and
the provider's own logs on (RETOOL_PULUMI_LOG_LEVEL=DEBUG). No secret plaintext, nor the access
token, appears in the exported state (without --show-secrets) or anywhere the engine wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from tests.engine import export_state, new_stack

pytestmark = pytest.mark.engine

TOKEN = "rtl-access-token-5c1e9a7d"
SECRETS = {
    1: {
        "pg": "pg-password-3f9a1c",
        "rc": "rc-password-8d2b47",
        "var": "var-secret-6e0f13",
        "sso": "oidc-client-secret-a4c2e9",
        "git": "ghp-git-token-71bd05",
    },
    2: {
        "pg": "pg-password-rotated-0b6d2e",
        "rc": "rc-password-rotated-93fa18",
        "var": "var-secret-rotated-4c7a55",
        "sso": "oidc-client-secret-rotated-e81d3f",
        "git": "ghp-git-token-rotated-2a90cc",
    },
}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, validate_responses=True) as em:
        yield em


def _program(version: dict[str, int]) -> Any:
    def program() -> None:
        s = SECRETS[version["v"]]
        pg = retool.Resource(
            "pg",
            type="postgresql",
            display_name="Orders DB",
            options={
                "database_options": {
                    "host": "db.internal",
                    "port": "5432",
                    "name": "orders",
                    "username": "retool",
                    "password": s["pg"],
                }
            },
        )
        env = retool.Environment("qa", name="qa", color="#1E88E5")
        retool.ResourceConfiguration(
            "pg-qa",
            resource_id=pg.id,
            environment_id=env.id,
            options={
                "database_options": {
                    "host": "qa-db.internal",
                    "port": "5432",
                    "name": "orders",
                    "username": "retool",
                    "password": s["rc"],
                }
            },
        )
        retool.ConfigurationVariable(
            "api-key", name="API_KEY", secret=True, values=[{"environment_id": env.id, "value": s["var"]}]
        )
        retool.SsoConfig(
            "sso",
            config_type="oidc",
            oidc_client_id="retool-client",
            oidc_client_secret=s["sso"],
            oidc_scopes="openid email profile",
            oidc_auth_url="https://idp.example.com/auth",
            oidc_token_url="https://idp.example.com/token",
            jwt_email_key="email",
            jwt_first_name_key="given_name",
            jwt_last_name_key="family_name",
            jit_enabled=True,
            trigger_login_automatically=False,
            disable_email_password_login=False,
        )
        retool.SourceControl(
            "git",
            provider="GitHub",
            org="acme",
            repo="retool-apps",
            default_branch="main",
            config={"type": "Personal", "personal_access_token": s["git"], "url": "https://github.com"},
        )
        pulumi.export("resource_id", pg.id)

    return program


def test_no_secret_plaintext_in_state_engine_output_or_provider_logs(
    tmp_path: Path, emulator: Emulator
) -> None:
    env = {
        "RETOOL_HOST": emulator.host,
        "RETOOL_ACCESS_TOKEN": TOKEN,
        "RETOOL_SCHEME": "http",
        "RETOOL_PULUMI_LOG_LEVEL": "DEBUG",
    }
    version = {"v": 1}
    st = new_stack(tmp_path, _program(version), env=env)
    verbose: dict[str, Any] = {"log_verbosity": 9, "log_to_std_err": True, "log_flow": True, "debug": True}
    written: list[str] = []

    def record(result: Any) -> None:
        written.extend([result.stdout, result.stderr])

    record(st.up(**verbose))
    states = [json.dumps(export_state(st))]
    record(st.preview(**verbose))
    record(st.refresh(**verbose))
    version["v"] = 2  # rotate every secret: the new values go through update
    up2 = st.up(**verbose)
    record(up2)
    assert up2.summary.resource_changes.get("update", 0) >= 5
    with emulator.store.lock:  # the secrets really reached Retool: the audit is not vacuous
        assert emulator.store.sso_config is not None and emulator.store.source_control_config is not None
    states.append(json.dumps(export_state(st)))
    record(st.refresh(**verbose))
    states.append(json.dumps(export_state(st)))
    record(st.destroy(**verbose))

    logs = "\n".join(written)
    # The audit is only worth something if the provider's own logs were captured.
    assert "retool_pulumi.client DEBUG POST /resources" in logs, "the provider's logs were not captured"
    assert "/sso/config" in logs and "/source_control/config" in logs
    plaintexts = [TOKEN, *SECRETS[1].values(), *SECRETS[2].values()]
    for where, text in [("exported state", "\n".join(states)), ("engine output and logs", logs)]:
        hits = [p for p in plaintexts if p in text]
        assert hits == [], f"secret plaintext in the {where}: {hits}"
