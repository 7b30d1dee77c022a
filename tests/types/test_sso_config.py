"""SsoConfig (a singleton) at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

from types_support import calls, check, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import SECRET, RetoolProvider
from retool_pulumi.engine.provider import FINGERPRINTS
from retool_pulumi.engine.values import ROTATED, UNKNOWN

KIND = "SsoConfig"
GOOGLE: dict[str, Any] = {
    "config_type": "google",
    "google_client_id": "cid.apps.googleusercontent.com",
    "google_client_secret": "g-s3cr3t",
    "disable_email_password_login": False,
}
OIDC: dict[str, Any] = {
    "config_type": "oidc",
    "oidc_client_id": "retool",
    "oidc_client_secret": "o-s3cr3t",
    "oidc_scopes": "openid email profile",
    "oidc_auth_url": "https://idp.example.com/authorize",
    "oidc_token_url": "https://idp.example.com/token",
    "jwt_email_key": "idToken.email",
    "jwt_first_name_key": "idToken.given_name",
    "jwt_last_name_key": "idToken.family_name",
    "jit_enabled": True,
    "trigger_login_automatically": False,
    "disable_email_password_login": False,
}
IDP_XML = '<EntityDescriptor entityID="https://idp.example.com"/>'
SAML_LDAP: dict[str, Any] = {
    "config_type": "saml",
    "idp_metadata_xml": IDP_XML,
    "saml_first_name_attribute": "firstName",
    "saml_last_name_attribute": "lastName",
    "saml_sync_group_claims": False,
    "jit_enabled": True,
    "trigger_login_automatically": False,
    "disable_email_password_login": False,
    "ldap_sync_group_claims": True,
    "ldap_server_url": "ldaps://ldap.example.com:636",
    "ldap_base_domain_components": "dc=example,dc=com",
    "ldap_server_name": "ldap.example.com",
    "ldap_server_key": "-----BEGIN PRIVATE KEY-----\nk3y\n-----END PRIVATE KEY-----",
    "ldap_server_certificate": "-----BEGIN CERTIFICATE-----\nc3rt\n-----END CERTIFICATE-----",
}


def test_check_names_the_field_a_variant_requires_without_echoing_secrets(em: Emulator) -> None:
    news = {k: v for k, v in GOOGLE.items() if k != "disable_email_password_login"}
    result = check(KIND, news)
    assert [f.property for f in result.failures] == ["disable_email_password_login"]
    reason = result.failures[0].reason
    assert "required" in reason and "'google'" in reason
    assert "g-s3cr3t" not in reason
    assert em.requests() == []


def test_check_rejects_fields_of_another_variant(em: Emulator) -> None:
    reasons = failures(KIND, {**GOOGLE, "oidc_client_id": "x"})
    assert set(reasons) == {"oidc_client_id"} and "not an allowed property" in reasons["oidc_client_id"]
    assert em.requests() == []


def test_check_names_the_config_type_and_its_allowed_values(em: Emulator) -> None:
    reasons = failures(KIND, {"config_type": "ldap"})
    assert "'google', 'oidc', 'google & oidc', 'saml' or 'google & saml'" in reasons["config_type"]
    assert em.requests() == []


def test_unknown_secret_passes_check_and_diff_reports_a_change(em: Emulator) -> None:
    news = checked(KIND, {**GOOGLE, "google_client_secret": UNKNOWN})
    d = RetoolProvider(KIND).diff("sso", with_provider_key(checked(KIND, GOOGLE)), news)
    assert d.changes is True and d.replaces == []
    assert em.requests() == []


def test_a_new_secret_is_a_change_and_nothing_replaces(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, GOOGLE))
    d = RetoolProvider(KIND).diff("sso", olds, checked(KIND, {**GOOGLE, "google_client_secret": "new"}))
    assert d.changes is True and d.replaces == []
    d = RetoolProvider(KIND).diff("sso", olds, checked(KIND, OIDC))
    assert d.changes is True and d.replaces == []


def test_create_sets_the_config_and_read_keeps_the_declared_secret(em: Emulator) -> None:
    p, inputs, created = create(KIND, GOOGLE)
    assert writes(em) == ["POST /sso/config"]
    assert created.id == "sso"
    stored = em.store.sso_config
    assert stored is not None
    assert '"canaryValue":"__RETOOL_ENCRYPTED_JSON__"' in stored["google_client_secret"]
    assert set(created.outs[FINGERPRINTS]) == {"google_client_secret"}
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /sso/config"]
    assert read.inputs == inputs
    assert read.outs["google_client_secret"] == "g-s3cr3t"
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_singleton_adopts_the_existing_config(em: Emulator, retool: RetoolClient) -> None:
    retool.post("/sso/config", json={"data": {**OIDC, "oidc_client_secret": "old"}})
    em.clear_requests()
    p, inputs, created = create(KIND, GOOGLE)
    assert calls(em) == ["GET /sso/config", "POST /sso/config"]
    assert created.id == "sso"
    assert em.store.sso_config is not None and em.store.sso_config["config_type"] == "google"
    assert p.diff(created.id, p.read(created.id, created.outs).outs, inputs).changes is False


def test_a_secret_rotated_in_retool_is_detected_and_repaired(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, GOOGLE)
    retool.post("/sso/config", json={"data": {**GOOGLE, "google_client_secret": "rotated-by-hand"}})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["google_client_secret"] == ROTATED
    assert "rotated-by-hand" not in str(read.outs)
    assert p.diff(created.id, read.outs, inputs).changes is True
    em.clear_requests()
    updated = p.update(created.id, read.outs, inputs)
    assert writes(em) == ["POST /sso/config"]
    assert updated.outs["google_client_secret"] == "g-s3cr3t"
    again = p.read(created.id, updated.outs)
    assert p.diff(created.id, again.outs, inputs).changes is False


def test_refresh_reports_a_plain_field_changed_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, OIDC)
    stored = dict(em.store.sso_config or {})
    retool.post("/sso/config", json={"data": {**OIDC, "oidc_scopes": "openid"}})
    # Re-sending the secret re-encrypts it: put the old ciphertext back to isolate the plain change.
    assert em.store.sso_config is not None
    em.store.sso_config["oidc_client_secret"] = stored["oidc_client_secret"]
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "oidc_scopes": "openid"}
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_update_posts_the_whole_config(em: Emulator) -> None:
    p, _inputs, created = create(KIND, GOOGLE)
    em.clear_requests()
    news = checked(KIND, {**GOOGLE, "disable_email_password_login": True})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == ["POST /sso/config"]
    assert em.store.sso_config is not None and em.store.sso_config["disable_email_password_login"] is True
    assert p.diff(created.id, p.read(created.id, updated.outs).outs, news).changes is False


def test_delete_removes_the_config_and_a_missing_config_reads_as_gone(em: Emulator) -> None:
    p, _, created = create(KIND, GOOGLE)
    p.delete(created.id, with_provider_key(created.outs))
    assert em.store.sso_config is None
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_ldap_certificate_is_an_encrypted_secret_that_refreshes_clean(em: Emulator) -> None:
    # Issue #11 item 1: Retool returns ldap_server_certificate encrypted, like ldap_server_key.
    assert RetoolProvider(KIND).spec.has_marker("ldap_server_certificate", SECRET)
    p, inputs, created = create(KIND, SAML_LDAP)
    stored = em.store.sso_config
    assert stored is not None
    for field in ("ldap_server_key", "ldap_server_certificate"):
        assert '"canaryValue":"__RETOOL_ENCRYPTED_JSON__"' in stored[field]
    assert stored["idp_metadata_xml"] == IDP_XML  # not a secret: read back as sent
    assert set(created.outs[FINGERPRINTS]) == {"ldap_server_key", "ldap_server_certificate"}
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs
    assert read.outs["ldap_server_certificate"] == SAML_LDAP["ldap_server_certificate"]
    assert "canaryValue" not in str(read.outs)
    assert p.diff(created.id, read.outs, inputs).changes is False
    again = p.read(created.id, read.outs)  # the same ciphertext from one read to the next
    assert again.outs == read.outs


def test_ldap_certificate_replaced_in_retool_is_a_rotation(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, SAML_LDAP)
    retool.post("/sso/config", json={"data": {**SAML_LDAP, "ldap_server_certificate": "other-cert"}})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["ldap_server_certificate"] == ROTATED
    assert read.inputs["ldap_server_key"] == SAML_LDAP["ldap_server_key"]
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_idp_metadata_edited_in_retool_is_drift(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, SAML_LDAP)
    retool.post("/sso/config", json={"data": {**SAML_LDAP, "idp_metadata_xml": "<Other/>"}})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "idp_metadata_xml": "<Other/>"}
