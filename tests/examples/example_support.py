"""Run an example project (a directory with Pulumi.yaml) through the real engine.

The example is copied byte for byte into a temporary directory next to a `.venv` link to this
checkout's virtualenv (so its `virtualenv: ../../.venv` resolves), because stack set-up writes
`Pulumi.<stack>.yaml` (encryption salt, connection config) and tests must not edit the repo."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from pulumi import automation as auto

from tests.engine import REPO, TOOLS, changes, engine_env, pulumi_command

__all__ = ["changes", "copy_example", "example_stack"]

EXAMPLES = REPO / "examples"


def copy_example(name: str, root: Path) -> Path:
    """`examples/<name>` copied to `<root>/examples/<name>`, with `<root>/.venv` -> the repo's."""
    dest = root / "examples" / name
    shutil.copytree(EXAMPLES / name, dest, ignore=shutil.ignore_patterns("__pycache__"))
    venv = root / ".venv"
    if not venv.exists():
        venv.symlink_to(REPO / ".venv")
    return dest


def example_stack(
    work_dir: Path, stack: str, backend: Path, env: Mapping[str, str] | None = None
) -> auto.Stack:
    """Create (or select) `stack` of the project in `work_dir` on a file backend at `backend`."""
    backend.mkdir(parents=True, exist_ok=True)
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(work_dir),
        pulumi_home=str(TOOLS / "pulumi-home"),
        secrets_provider="passphrase",
        env_vars=engine_env({"PULUMI_BACKEND_URL": f"file://{backend}", **(env or {})}),
        pulumi_command=pulumi_command(),
    )
    return auto.create_or_select_stack(stack_name=stack, work_dir=str(work_dir), opts=opts)
