"""`retool-pulumi-export`: the files it writes (a reproducible requirements.txt, no secret
anywhere) and where it takes the connection from (the stack config of the Pulumi project it runs
in, else RETOOL_* variables), with errors that say exactly what to set."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from retool_pulumi import export
from retool_pulumi.emulator import Emulator
from tests.engine import TOOLS, engine_env
from tests.export.export_support import SECRETS

RETOOL_VARIABLES = (
    "RETOOL_HOST",
    "RETOOL_ACCESS_TOKEN",
    "RETOOL_SCHEME",
    "RETOOL_CONNECTIONS",
    "RETOOL_UNIX_SOCKET_PATH",
)


@pytest.fixture
def no_retool_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in RETOOL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _use_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    # No client-side rate limit against the emulator (the export makes ~100 requests).
    for key, value in {**env, "RETOOL_REQUESTS_PER_MINUTE": "0"}.items():
        monkeypatch.setenv(key, value)


def test_cli_writes_a_project(
    seeded: dict[str, str], retool_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_env(monkeypatch, retool_env)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "org"
    assert export.main(["--output", str(out), "--project-name", "acme-retool"]) == 0
    assert (out / "__main__.py").read_text().startswith('"""Retool organisation exported')
    project = yaml.safe_load((out / "Pulumi.yaml").read_text())
    assert project["name"] == "acme-retool"
    assert project["runtime"]["name"] == "python"
    readme = (out / "README.md").read_text()
    assert "pulumi config set --secret resource-orders-db-options" in readme


def test_requirements_pin_the_version_that_wrote_them(
    seeded: dict[str, str], retool_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_env(monkeypatch, retool_env)
    monkeypatch.chdir(tmp_path)
    assert export.main(["--output", str(tmp_path / "org")]) == 0
    lines = [
        line
        for line in (tmp_path / "org" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    requirements = {Requirement(line).name: Requirement(line) for line in lines}
    ours = requirements["retool-pulumi"]
    version = importlib.metadata.version("retool-pulumi")
    assert str(ours.specifier) == f"=={version}", "the exact version that wrote the program"
    declared = next(
        Requirement(r)
        for r in importlib.metadata.requires("retool-pulumi") or []
        if Requirement(r).name == "pulumi"
    )
    assert requirements["pulumi"].specifier == declared.specifier, "the pulumi range retool-pulumi works with"
    assert importlib.metadata.version("pulumi") in requirements["pulumi"].specifier


def test_no_secret_in_any_generated_file(
    seeded: dict[str, str],
    retool_emulator: Emulator,
    retool_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_env(monkeypatch, retool_env)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "org"
    assert export.main(["--output", str(out)]) == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"__main__.py", "Pulumi.yaml", "requirements.txt", "README.md"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in (*SECRETS, retool_emulator.token):
            assert secret not in text, f"{path.name} holds a secret"
        assert "---encrypted-on-server---" not in text, f"{path.name} holds a masked secret"


def test_project_names_pulumi_rejects_are_refused_before_any_request(
    retool_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _use_env(monkeypatch, retool_env)
    monkeypatch.chdir(tmp_path)
    assert export.main(["--output", str(tmp_path / "org"), "--project-name", "acme retool\nx: 1"]) == 2
    err = capsys.readouterr().err
    assert "--project-name" in err and "letters, digits" in err
    assert not (tmp_path / "org").exists()


# ---- where the connection comes from ---------------------------------------------------------------


def test_errors_say_what_to_set_outside_a_project(
    no_retool_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert export.main(["--connection", "eu"]) == 1
    err = capsys.readouterr().err
    assert "RETOOL_CONNECTIONS" in err
    assert "no stack config was read" in err and "--stack" in err, err
    assert export.main([]) == 1
    err = capsys.readouterr().err
    assert "RETOOL_HOST" in err and "RETOOL_ACCESS_TOKEN" in err
    assert "no stack config was read" in err


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Pulumi project directory with its engine environment (file backend, passphrase)."""
    project = tmp_path / "infra"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: infra\nruntime: python\n")
    backend = tmp_path / "backend"
    backend.mkdir()
    env = engine_env({"PULUMI_BACKEND_URL": f"file://{backend}"})
    _use_env(monkeypatch, env)
    monkeypatch.chdir(project)
    return project


def _pulumi(project: Path, *args: str) -> None:
    subprocess.run([str(TOOLS / "bin" / "pulumi"), *args], cwd=project, check=True, capture_output=True)


@pytest.mark.engine
def test_connection_comes_from_the_stack_config_of_the_project(
    seeded: dict[str, str],
    retool_emulator: Emulator,
    no_retool_env: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _project(tmp_path, monkeypatch)
    _pulumi(project, "stack", "init", "dev", "--secrets-provider", "passphrase")
    eu = {"host": retool_emulator.host, "accessToken": retool_emulator.token, "scheme": "http"}
    _pulumi(project, "config", "set", "--secret", "retool:connections", json.dumps({"eu": eu}))
    _pulumi(project, "stack", "init", "prod", "--secrets-provider", "passphrase")
    _pulumi(project, "config", "set", "retool:host", retool_emulator.host)
    _pulumi(project, "config", "set", "--secret", "retool:accessToken", retool_emulator.token)
    _pulumi(project, "config", "set", "retool:scheme", "http")

    # The selected stack (prod) has the default connection.
    assert export.main(["--output", str(tmp_path / "default")]) == 0, capsys.readouterr().err
    assert "Retool organisation exported" in (tmp_path / "default" / "__main__.py").read_text()
    # A named connection from another stack's config.
    assert export.main(["--connection", "eu", "--stack", "dev", "--output", str(tmp_path / "eu")]) == 0
    code = (tmp_path / "eu" / "__main__.py").read_text()
    assert 'CONNECTION = "eu"' in code
    capsys.readouterr()
    # The selected stack has no connection "eu": the error names the stack and what to set.
    assert export.main(["--connection", "eu", "--output", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "'prod'" in err and "retool:connections" in err and "RETOOL_CONNECTIONS" in err
    # A stack that does not exist is an error, not a silent fallback.
    assert export.main(["--stack", "nope", "--output", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "--stack" in err
    for path in (tmp_path / "default").rglob("*"):
        assert retool_emulator.token not in path.read_text(), "the token was written"
    # No stack selected: the RETOOL_* variables are used, and a note says the config was not read.
    _pulumi(project, "stack", "unselect")
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    assert export.main(["--output", str(tmp_path / "env")]) == 0
    err = capsys.readouterr().err
    assert "no stack config was read" in err and "pulumi stack select" in err
