"""A Pulumi project outside the checkout whose Pulumi.yaml names its own virtualenv, run through
the real CLI (the engine and launchers in .tools/bin) against an emulator."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from retool_pulumi.emulator import Emulator
from tests.engine import REPO
from tests.examples.example_support import example_stack

PROGRAM = Path(__file__).resolve().parent / "venv_program"
CHECKOUT_PYTHON = REPO / ".venv" / "bin" / "python"


def make_venv(path: Path) -> Path:
    """A new, empty virtualenv (no pip: fast) on the base interpreter; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return path / "bin" / "python"


def site_packages(python: Path) -> Path:
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def checkout_site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def add_marker(python: Path) -> None:
    """A module that exists only in this virtualenv: importing it proves who runs."""
    (site_packages(python) / "venv_marker.py").write_text('"""Only in the project virtualenv."""\n')


def write_project(root: Path, virtualenv: str, name: str = "venv-project") -> Path:
    """`root` holding Pulumi.yaml (runtime.options.virtualenv = `virtualenv`) and the program."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(
        f"name: {name}\nruntime:\n  name: python\n  options:\n    toolchain: pip\n"
        f"    virtualenv: {virtualenv}\n"
    )
    shutil.copy(PROGRAM / "__main__.py", root / "__main__.py")
    return root


def project_stack(root: Path, backend: Path, em: Emulator) -> auto.Stack:
    env = {"RETOOL_HOST": em.host, "RETOOL_ACCESS_TOKEN": em.token, "RETOOL_SCHEME": "http"}
    return example_stack(root, "dev", backend, env)


def outputs(result: Any) -> dict[str, Any]:
    return {k: v.value for k, v in result.outputs.items()}
