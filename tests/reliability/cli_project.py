"""A Pulumi project directory driven through the `pulumi` CLI itself (project program run by the
language host in .tools/bin, file backend, passphrase secrets), for what a user sees in a
terminal: the output of a failing command, the processes left after a kill."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.engine import REPO, TOOLS, engine_env

STACK = "dev"


class CliProject:
    """A project in `workdir` whose `__main__.py` is `program` (the repository importable)."""

    def __init__(self, workdir: Path, program: str, env: Mapping[str, str] | None = None) -> None:
        self.dir = workdir
        backend = workdir / "backend"
        backend.mkdir(parents=True, exist_ok=True)
        (workdir / "Pulumi.yaml").write_text(
            "name: retool-cli\n"
            "runtime:\n"
            "  name: python\n"
            "  options:\n"
            "    toolchain: pip\n"
            f"    virtualenv: {REPO / '.venv'}\n"
        )
        (workdir / "__main__.py").write_text(f"import sys\nsys.path.insert(0, {str(REPO)!r})\n{program}")
        self.env = engine_env({"PULUMI_BACKEND_URL": f"file://{backend}", **(env or {})})
        self.run("stack", "init", STACK, check=True, stack=False)

    @property
    def pulumi(self) -> str:
        return str(TOOLS / "bin" / "pulumi")

    def command(self, *args: str, stack: bool = True) -> list[str]:
        return [self.pulumi, "--non-interactive", *args, *(["--stack", STACK] if stack else [])]

    def run(
        self,
        *args: str,
        check: bool = False,
        stack: bool = True,
        env: Mapping[str, str] | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(
            self.command(*args, stack=stack),
            cwd=self.dir,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check:
            shown = f"{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
            assert out.returncode == 0, f"pulumi {' '.join(args)} failed:\n{shown}"
        return out

    def config(self, values: Mapping[str, str], *, secret: Sequence[str] = ()) -> None:
        for key, value in values.items():
            flag = ["--secret"] if key in secret else ["--plaintext"]
            self.run("config", "set", *flag, key, value, check=True)


def output(done: subprocess.CompletedProcess[str]) -> str:
    """Everything a terminal would show."""
    return done.stdout + done.stderr


def diagnostics(text: str) -> str:
    """The Diagnostics section of a command's output (the summary of errors and warnings)."""
    _, found, rest = text.partition("Diagnostics:")
    assert found, f"no Diagnostics section in:\n{text[-3000:]}"
    return rest.split("\nResources:", 1)[0]
