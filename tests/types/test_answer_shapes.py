"""The provider against answers the emulator sends only when asked (its opt-in answer shapes, see
`emulator.faults`): arrays in another order than sent, `data: null` for an unset singleton, and
404s without Retool's body."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import create, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.errors import RetoolError

SSO: dict[str, Any] = {
    "config_type": "google",
    "google_client_id": "cid.apps.googleusercontent.com",
    "google_client_secret": "g-s3cr3t",
    "disable_email_password_login": False,
}
GIT: dict[str, Any] = {
    "provider": "GitHub",
    "org": "acme",
    "repo": "retool-apps",
    "default_branch": "main",
    "config": {"type": "Personal", "personal_access_token": "ghp_s3cr3t"},
}
# Singletons that can be unset (the organisation's settings always exist).
UNSET_SINGLETONS = [("SsoConfig", SSO, "sso"), ("SourceControl", GIT, "source_control")]


def test_configuration_variable_values_in_another_order_are_no_change(
    em: Emulator, retool: RetoolClient
) -> None:
    envs = [retool.post("/environments", json={"name": n, "color": "#123456"})["id"] for n in ("qa", "dev")]
    production = next(e["id"] for e in em.store.environments.values() if e["name"] == "production")
    values = [{"environment_id": e, "value": f"v-{e}"} for e in [production, *envs]]
    p, inputs, created = create("ConfigurationVariable", {"name": "K", "secret": False, "values": values})
    em.set_faults(reverse_arrays=True)
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["values"] == inputs["values"]
    assert p.diff(created.id, read.outs, inputs).changes is False


@pytest.mark.parametrize(("kind", "declared", "singleton_id"), UNSET_SINGLETONS)
def test_an_unset_singleton_answered_with_null_data_reads_as_gone(
    em: Emulator, kind: str, declared: dict[str, Any], singleton_id: str
) -> None:
    em.set_faults(null_for_missing=True)
    read = RetoolProvider(kind).read(singleton_id, with_provider_key(declared))
    assert (read.id, read.outs) == ("", {})


@pytest.mark.parametrize(("kind", "declared", "singleton_id"), UNSET_SINGLETONS)
def test_an_unset_singleton_answered_with_null_data_is_created(
    em: Emulator, kind: str, declared: dict[str, Any], singleton_id: str
) -> None:
    em.set_faults(null_for_missing=True)
    p, inputs, created = create(kind, declared)
    assert created.id == singleton_id
    assert len(writes(em)) == 1
    em.set_faults(null_for_missing=False)
    assert (
        p.diff(created.id, p.read(created.id, with_provider_key(created.outs)).outs, inputs).changes is False
    )


def test_a_bare_404_is_an_error_not_a_deleted_object(em: Emulator, retool: RetoolClient) -> None:
    p, _, created = create("Group", {"name": "platform"})
    retool.delete(f"/groups/{created.id}")
    em.set_faults(bare_404=True)
    with pytest.raises(RetoolError, match="404"):
        p.read(created.id, with_provider_key(created.outs))
    with pytest.raises(RetoolError, match="404"):
        p.delete(created.id, with_provider_key(created.outs))
    em.set_faults(bare_404=False)
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
