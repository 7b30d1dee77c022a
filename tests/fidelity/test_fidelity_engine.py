"""Issue #11 through the real engine, where a wrong belief about production shows as a diff or a
duplicate: an SSO LDAP certificate Retool returns encrypted (a perpetual diff after refresh), a
role grant Retool answers without a body (an orphan the next `up` would duplicate), and a space
whose ambiguous create is looked up while Retool still provisions it (a second POST)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from retool_pulumi.emulator.backends.space import set_provisioning_reads
from tests.engine import changes, export_state, new_stack

LDAP_KEY = "-----BEGIN PRIVATE KEY-----\nldap-key-6c1e\n-----END PRIVATE KEY-----"
LDAP_CERT = "-----BEGIN CERTIFICATE-----\nldap-cert-93d7\n-----END CERTIFICATE-----"
SPACE = {"name": "Europe", "domain": "eu.retool.example.com"}


@pytest.mark.engine
def test_sso_role_grant_and_space_refresh_clean_without_duplicates(
    tmp_path: Path, retool_env: dict[str, str], retool_emulator: Emulator
) -> None:
    store = retool_emulator.store
    with_space = {"on": False}

    def program() -> None:
        retool.SsoConfig(
            "sso",
            config_type="saml",
            idp_metadata_xml='<EntityDescriptor entityID="https://idp.example.com"/>',
            saml_first_name_attribute="firstName",
            saml_last_name_attribute="lastName",
            saml_sync_group_claims=False,
            jit_enabled=False,
            trigger_login_automatically=False,
            disable_email_password_login=False,
            ldap_sync_group_claims=True,
            ldap_server_url="ldaps://ldap.example.com:636",
            ldap_base_domain_components="dc=example,dc=com",
            ldap_server_name="ldap.example.com",
            ldap_server_key=LDAP_KEY,
            ldap_server_certificate=LDAP_CERT,
        )
        role = retool.Role("auditors", name="Auditors", object_scopes=["apps:read"], organization_scopes=[])
        team = retool.Group("audit-team", name="Audit team")
        retool.RoleGrant("grant", role_id=role.id, subject_type="group", subject_id=team.id)
        if with_space["on"]:
            retool.Space("europe", **SPACE)

    st = new_stack(tmp_path, program, env=retool_env)
    st.up()
    assert len(store.role_grants) == 1, "the grant must be in state, not an orphan"
    assert store.sso_config is not None and "canaryValue" in store.sso_config["ldap_server_certificate"]
    # Item 1: refresh stored the certificate's ciphertext and the next up re-sent the SSO config.
    assert changes(st.refresh().summary.resource_changes) == {}, "refresh of an unchanged stack changed"
    assert changes(st.preview().change_summary) == {}, "preview after refresh must be clean"
    st.up()
    assert len(store.role_grants) == 1, "a second up must not grant the role again"

    # Item 4: the space's POST is applied but its answer lost, and while Retool provisions the
    # space its domain reads empty.
    with_space["on"] = True
    set_provisioning_reads(store, 10)
    retool_emulator.set_faults(drop_after_apply_rate=1.0)
    try:
        st.up()
    finally:
        retool_emulator.set_faults(drop_after_apply_rate=0.0)
    assert [s["domain"] for s in store.spaces.values()] == [SPACE["domain"]], "one space, not two"
    assert changes(st.refresh().summary.resource_changes) == {}, "a provisioning space refreshed as changed"
    assert changes(st.preview().change_summary) == {}

    state = json.dumps(export_state(st))
    assert "ldap-cert-93d7" not in state and "ldap-key-6c1e" not in state
