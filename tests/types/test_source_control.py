"""SourceControl (a singleton) at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

from types_support import calls, check, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import MASK, UNKNOWN

KIND = "SourceControl"
GITHUB: dict[str, Any] = {
    "provider": "GitHub",
    "org": "acme",
    "repo": "retool-apps",
    "default_branch": "main",
    "config": {"type": "Personal", "personal_access_token": "ghp_s3cr3t"},
}
GITLAB: dict[str, Any] = {
    "provider": "GitLab",
    "org": "acme",
    "repo": "retool-apps",
    "default_branch": "main",
    "config": {"project_id": 1234.0, "url": "https://gitlab.com", "project_access_token": "glpat-s3cr3t"},
}


def test_check_validates_config_for_the_provider_without_echoing_it(em: Emulator) -> None:
    result = check(KIND, {**GITHUB, "config": {"type": "Personal", "token": "ghp_s3cr3t"}})
    assert {f.property for f in result.failures} == {"config"}
    assert all("ghp_s3cr3t" not in f.reason for f in result.failures)
    assert any("GitHub" in f.reason for f in result.failures)
    assert em.requests() == []


def test_check_rejects_a_mix_of_github_app_and_personal_token(em: Emulator) -> None:
    config = {
        "type": "App",
        "app_id": "1",
        "installation_id": "2",
        "private_key": "k",
        "personal_access_token": "t",
    }
    reasons = failures(KIND, {**GITHUB, "config": config})
    assert set(reasons) == {"config"} and "personal_access_token" in reasons["config"]
    assert em.requests() == []


def test_check_names_the_provider_and_the_allowed_ones(em: Emulator) -> None:
    reasons = failures(KIND, {**GITHUB, "provider": "Gitea"})
    assert "'GitHub', 'GitLab', 'AWS CodeCommit', 'Bitbucket' or 'Azure Repos'" in reasons["provider"]
    assert set(failures(KIND, {"provider": "GitHub"})) == {"org", "repo", "default_branch", "config"}
    assert em.requests() == []


def test_check_accepts_a_float_project_id(em: Emulator) -> None:
    project_id = checked(KIND, GITLAB)["config"]["project_id"]
    assert project_id == 1234 and isinstance(project_id, int)


def test_unknown_token_passes_check_and_diff_reports_a_change(em: Emulator) -> None:
    news = checked(KIND, {**GITHUB, "config": {"type": "Personal", "personal_access_token": UNKNOWN}})
    d = RetoolProvider(KIND).diff("source_control", with_provider_key(checked(KIND, GITHUB)), news)
    assert d.changes is True and d.replaces == []
    assert em.requests() == []


def test_create_puts_the_config_and_masked_credentials_cause_no_diff(em: Emulator) -> None:
    p, inputs, created = create(KIND, GITHUB)
    assert writes(em) == ["PUT /source_control/config"]
    assert created.id == "source_control"
    assert em.store.source_control_config is not None
    assert em.store.source_control_config["config"]["personal_access_token"] == "ghp_s3cr3t"
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /source_control/config"]
    assert MASK not in str(read.outs)
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_singleton_adopts_the_existing_config(em: Emulator, retool: RetoolClient) -> None:
    retool.put(
        "/source_control/config", json={"config": {**GITLAB, "config": {**GITLAB["config"], "project_id": 1}}}
    )
    em.clear_requests()
    p, inputs, created = create(KIND, GITHUB)
    assert calls(em) == ["GET /source_control/config", "PUT /source_control/config"]
    assert em.store.source_control_config is not None
    assert em.store.source_control_config["provider"] == "GitHub"
    assert p.diff(created.id, p.read(created.id, created.outs).outs, inputs).changes is False


def test_refresh_reports_a_branch_changed_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, GITHUB)
    retool.put("/source_control/config", json={"config": {**GITHUB, "default_branch": "develop"}})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "default_branch": "develop"}
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_update_puts_the_new_config(em: Emulator) -> None:
    p, _inputs, created = create(KIND, GITHUB)
    em.clear_requests()
    news = checked(KIND, {**GITHUB, "config": {"type": "Personal", "personal_access_token": "ghp_new"}})
    p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == ["PUT /source_control/config"]
    assert em.store.source_control_config is not None
    assert em.store.source_control_config["config"]["personal_access_token"] == "ghp_new"


def test_delete_removes_source_control_and_a_missing_config_reads_as_gone(em: Emulator) -> None:
    p, _, created = create(KIND, GITLAB)
    p.delete(created.id, with_provider_key(created.outs))
    assert em.store.source_control_config is None
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


BITBUCKET: dict[str, Any] = {
    "provider": "Bitbucket",
    "org": "acme",
    "repo": "retool-apps",
    "default_branch": "main",
    "config": {"username": "ci-bot", "app_password": "bb-s3cr3t", "url": "https://bitbucket.org"},
}


def test_bitbucket_without_type_passes_check_and_refreshes_clean(em: Emulator) -> None:
    # Issue #11 item 3: production takes a Bitbucket config without `type` (recorded).
    p, inputs, created = create(KIND, BITBUCKET)
    assert em.store.source_control_config is not None
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs and read.outs["config"]["app_password"] == "bb-s3cr3t"
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_a_declared_bitbucket_type_that_production_does_not_echo_is_no_diff(
    em: Emulator, retool: RetoolClient
) -> None:
    typed = {**BITBUCKET, "config": {**BITBUCKET["config"], "type": "AppPassword"}}
    p, inputs, created = create(KIND, typed)
    assert "type" not in retool.get("/source_control/config")["config"]
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False
