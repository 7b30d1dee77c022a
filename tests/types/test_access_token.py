"""AccessToken at the provider level, against the emulator."""

from __future__ import annotations

import logging

import pytest
from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, spec_for
from retool_pulumi.errors import RetoolError

KIND = "AccessToken"
CI = {"label": "ci", "scopes": ["apps:read", "users:read"]}


def test_check_names_the_label_and_scopes(em: Emulator) -> None:
    reasons = failures(KIND, {"label": "x", "scopes": []})
    assert set(reasons) == {"label", "scopes"}
    assert "at least 2" in reasons["label"] and "at least 1" in reasons["scopes"]
    assert checked(KIND, {"label": "ci", "scopes": ["b", "a", "a"]})["scopes"] == ["a", "b"]
    assert em.requests() == []


def test_every_change_replaces(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, CI))
    assert p.diff("t", olds, checked(KIND, {**CI, "label": "deploy"})).replaces == ["label"]
    assert p.diff("t", olds, checked(KIND, {**CI, "scopes": ["apps:read"]})).replaces == ["scopes"]
    assert p.diff("t", olds, checked(KIND, {**CI, "description": "x"})).replaces == ["description"]
    assert p.diff("t", olds, checked(KIND, {**CI, "scopes": ["users:read", "apps:read"]})).changes is False


def test_the_token_is_a_secret_output_kept_across_reads(em: Emulator) -> None:
    assert spec_for(KIND).secret_outputs == ("access_token",)
    p, inputs, created = create(KIND, CI)
    assert writes(em) == ["POST /access_tokens"]
    token = created.outs["access_token"]
    assert token.startswith("retool_") and created.outs["last4"] == token[-4:]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /access_tokens/{created.id}"]
    assert read.outs["access_token"] == token  # Retool never shows it again: the one from creation stays
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False


def test_a_revoked_token_is_gone(em: Emulator) -> None:
    p, _, created = create(KIND, CI)
    del em.store.access_tokens[created.id]  # revoked in Retool's UI
    assert p.read(created.id, with_provider_key(created.outs)).id == ""


def test_delete_succeeds_and_warns_that_the_token_must_be_revoked(
    em: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    p, _, created = create(KIND, CI)
    em.clear_requests()
    with caplog.at_level(logging.WARNING, logger="retool_pulumi"):
        p.delete(created.id, with_provider_key(created.outs))
    assert em.requests() == []  # there is no API to call
    assert created.id in caplog.text and "Revoke it in Retool" in caplog.text
    assert created.outs["access_token"] not in caplog.text


def test_adopting_a_different_token_is_a_clear_error(em: Emulator) -> None:
    _, _, created = create(KIND, CI)
    with pytest.raises(RetoolError, match=r"cannot be changed in place.*label"):
        RetoolProvider(KIND).create({**checked(KIND, {**CI, "label": "other"}), "adopt_id": created.id})
    adopted = RetoolProvider(KIND).create({**checked(KIND, CI), "adopt_id": created.id})
    assert adopted.id == created.id and adopted.outs.get("access_token") is None  # cannot be read back
