"""SsoConfig's LDAP server key is a secret like the client secrets: secret in state, never read
back from Retool (kept as declared; a change made in Retool is reported as rotated and set again)."""

from __future__ import annotations

from typing import Any

from types_support import create, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import spec_for
from retool_pulumi.engine.values import ROTATED

KIND = "SsoConfig"
KEY = "ldap-K3y-s3cr3t"
SAML_LDAP: dict[str, Any] = {
    "config_type": "saml",
    "idp_metadata_xml": "<EntityDescriptor/>",
    "saml_first_name_attribute": "firstName",
    "saml_last_name_attribute": "lastName",
    "saml_sync_group_claims": False,
    "jit_enabled": True,
    "trigger_login_automatically": False,
    "disable_email_password_login": False,
    "ldap_sync_group_claims": True,
    "ldap_server_url": "ldaps://ldap.example.com",
    "ldap_base_domain_components": "dc=example,dc=com",
    "ldap_server_name": "ldap.example.com",
    "ldap_server_key": KEY,
}


def test_the_ldap_server_key_is_a_secret_input() -> None:
    assert "ldap_server_key" in spec_for(KIND).secret_fields


def test_refresh_keeps_the_declared_ldap_key(em: Emulator) -> None:
    p, inputs, created = create(KIND, SAML_LDAP)
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["ldap_server_key"] == KEY
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_an_ldap_key_changed_in_retool_is_rotated_never_read_back(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, SAML_LDAP)
    retool.post("/sso/config", json={"data": {**SAML_LDAP, "ldap_server_key": "set-by-hand"}})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["ldap_server_key"] == ROTATED
    assert "set-by-hand" not in str(read.outs) and "set-by-hand" not in str(read.inputs)
    assert p.diff(created.id, read.outs, inputs).changes is True
    em.clear_requests()
    updated = p.update(created.id, read.outs, inputs)
    assert writes(em) == ["POST /sso/config"]
    assert updated.outs["ldap_server_key"] == KEY
    assert p.diff(created.id, p.read(created.id, updated.outs).outs, inputs).changes is False
