"""Helpers to drive the real Pulumi engine (the CLI in .tools/bin) through the Automation API,
with a file backend and passphrase secrets. Nothing here simulates the engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / ".tools"
PASSPHRASE = "retool-pulumi-tests"
# Whether the running test carries the `engine` marker (set by tests/conftest.py; None outside
# a test), so that `pytest -m "not engine"` really leaves out every test that runs the engine.
running_marked: bool | None = None


def _require_engine_marker() -> None:
    if running_marked is False:
        raise RuntimeError(
            "this test runs the real Pulumi engine: mark it `@pytest.mark.engine` (or pytestmark)"
        )


def pulumi_command() -> auto.PulumiCommand:
    """The engine built by `make setup`; its absence is a failure, not a skip."""
    _require_engine_marker()
    binary = TOOLS / "bin" / "pulumi"
    if not binary.exists():
        raise RuntimeError(f"{binary} is missing: run `make setup` (tools/install-engine.sh) first")
    return auto.PulumiCommand(root=str(TOOLS))


def engine_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the engine and the plugins it starts."""
    _require_engine_marker()
    env = {
        "PATH": f"{TOOLS / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(TOOLS / "pulumi-home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
    }
    env.update(extra or {})
    return env


def new_stack(
    workdir: Path,
    program: Callable[[], None],
    *,
    project: str = "retool-test",
    stack: str = "test",
    config: Mapping[str, auto.ConfigValue] | None = None,
    env: Mapping[str, str] | None = None,
) -> auto.Stack:
    """A fresh stack of an inline program on a file backend under `workdir`."""
    backend = workdir / "backend"
    backend.mkdir(parents=True, exist_ok=True)
    settings = auto.ProjectSettings(
        name=project, runtime="python", backend=auto.ProjectBackend(url=f"file://{backend}")
    )
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(workdir),
        pulumi_home=str(TOOLS / "pulumi-home"),
        project_settings=settings,
        secrets_provider="passphrase",
        env_vars=engine_env(env),
        pulumi_command=pulumi_command(),
    )
    st = auto.create_or_select_stack(stack_name=stack, project_name=project, program=program, opts=opts)
    for key, value in (config or {}).items():
        st.set_config(key, value)
    return st


def export_state(st: auto.Stack) -> dict[str, Any]:
    """The stack's checkpoint as `pulumi stack export` writes it: secrets stay encrypted.

    (`Stack.export_stack()` passes `--show-secrets`, so it cannot tell what is stored.)"""
    ws = st.workspace
    assert isinstance(ws, auto.LocalWorkspace)
    env = {**os.environ, **ws.env_vars}
    out = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "stack", "export", "--stack", st.name],
        cwd=ws.work_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout)["deployment"])


def changes(summary: Mapping[Any, int] | None) -> dict[str, int]:
    """An operation summary without the unchanged resources: {"update": 2, ...}."""
    out = {str(getattr(k, "value", k)): v for k, v in (summary or {}).items()}
    return {k: v for k, v in out.items() if k != "same" and v}


def resources_of(st: auto.Stack, type_suffix: str) -> list[dict[str, Any]]:
    """Resources in state whose type ends with `type_suffix`."""
    return [r for r in export_state(st).get("resources", []) if str(r.get("type", "")).endswith(type_suffix)]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def remove_workdir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
