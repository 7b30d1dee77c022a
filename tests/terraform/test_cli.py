"""`retool-pulumi from-terraform` (and `python -m retool_pulumi from-terraform`): the files it
writes, `--secret KEY` for `pulumi config set`, clear errors; `retool-pulumi export` is the
exporter."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from retool_pulumi import cli
from retool_pulumi.terraform import cli as terraform_cli
from tests.terraform.terraform_support import ORG_STATE, STATE_SECRETS


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "retool_pulumi", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_writes_a_project_without_a_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "org"
    assert cli.main(["from-terraform", str(ORG_STATE), "-o", str(out), "--project-name", "acme"]) == 0
    printed = capsys.readouterr().out
    assert "35 objects declared from 32 Terraform resources; 11 secrets to set" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "Pulumi.yaml",
        "README.md",
        "__main__.py",
        "requirements.txt",
    ]
    assert yaml.safe_load((out / "Pulumi.yaml").read_text())["name"] == "acme"
    assert "Written by retool-pulumi from-terraform" in (out / "requirements.txt").read_text()
    assert (out / "__main__.py").read_text().startswith('"""Retool organisation converted from a Terraform')
    readme = (out / "README.md").read_text()
    assert "## Hand-over from Terraform" in readme
    for path in out.iterdir():
        for secret in STATE_SECRETS:
            assert secret not in path.read_text(), f"{secret} in {path.name}"


def test_prints_the_program_without_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["from-terraform", str(ORG_STATE), "--connection", "prod"]) == 0
    code = capsys.readouterr().out
    assert code.startswith('"""Retool organisation converted')
    assert 'CONNECTION = "prod"' in code and "connection=CONNECTION," in code


def test_secret_prints_the_state_value_into_a_pipe_only(monkeypatch: pytest.MonkeyPatch) -> None:
    done = _run("from-terraform", str(ORG_STATE), "--secret", "configuration-variable-api-key-qa")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "tf-var-qa-5c4b"
    done = _run("from-terraform", str(ORG_STATE), "--secret", "resource-orders-db-options")
    assert json.loads(done.stdout)["database_options"]["password"] == "tf-pg-secret-1a2b"
    # A value the state does not hold, and a key the program does not read, say so.
    done = _run("from-terraform", str(ORG_STATE), "--secret", "resource-legacy-api-options")
    assert done.returncode == 1 and done.stdout == ""
    assert "the state holds no value for 'resource-legacy-api-options'" in done.stderr
    done = _run("from-terraform", str(ORG_STATE), "--secret", "nope")
    assert done.returncode == 2 and "no config key 'nope'" in done.stderr
    # Never onto a terminal.
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert terraform_cli.main([str(ORG_STATE), "--secret", "configuration-variable-api-key-qa"]) == 2


def test_a_file_that_is_not_a_state_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "main.tf"
    bad.write_text('resource "retool_group" "x" {}\n')
    assert cli.main(["from-terraform", str(bad)]) == 2
    assert "not a Terraform state (not JSON" in capsys.readouterr().err
    old = tmp_path / "old.tfstate"
    old.write_text(json.dumps({"version": 3, "modules": []}))
    assert cli.main(["from-terraform", str(old)]) == 2
    assert "format version 3: only 4 is read" in capsys.readouterr().err
    assert cli.main(["from-terraform", str(tmp_path / "missing.tfstate")]) == 2
    assert "No such file" in capsys.readouterr().err
    assert cli.main(["from-terraform", str(ORG_STATE), "--project-name", "no spaces"]) == 2
    assert "project name 'no spaces'" in capsys.readouterr().err


def test_the_command_line_has_both_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    scripts = {e.name: e.value for e in importlib.metadata.entry_points(group="console_scripts")}
    assert scripts.get("retool-pulumi") == "retool_pulumi.cli:main"
    assert scripts.get("retool-pulumi-export") == "retool_pulumi.export:main"
    assert cli.main([]) == 2
    assert cli.main(["--help"]) == 0
    assert "from-terraform STATE" in capsys.readouterr().out
    assert cli.main(["import"]) == 2
    assert "unknown command 'import'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "--help"])
    assert exited.value.code == 0
    assert "--stack" in capsys.readouterr().out
    done = _run("from-terraform", "--help")
    assert done.returncode == 0 and "--secret KEY" in done.stdout
