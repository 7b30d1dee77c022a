"""What pyproject declares is what the code needs, within bounds that were tested: every package
imported by the product, the tests and the tools is declared (the product's in `dependencies`,
the rest there or in the `dev` extra), every runtime dependency has an upper bound, and the
pulumi range is exactly what `make pulumi-range` tests (its lowest and its highest version)."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")


def _project() -> dict[str, list[Requirement]]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {
        "runtime": [Requirement(r) for r in data["dependencies"]],
        "dev": [Requirement(r) for r in data["optional-dependencies"]["dev"]],
    }


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imports(root: Path) -> dict[str, str]:
    """Top-level modules imported by the .py files under `root` -> one file importing each."""
    found: dict[str, str] = {}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(REPO)))
    return found


SOURCES = ("retool_pulumi", "tests", "tools", "examples")


def _local(module: str) -> bool:
    """A module of this repository (a package, or a helper module beside the tests)."""
    return (REPO / module).is_dir() or any(
        (REPO / root).rglob(f"{module}.py") for root in SOURCES if (REPO / root).is_dir()
    )


def _undeclared(roots: list[str], declared: list[Requirement]) -> dict[str, str]:
    names = {_norm(r.name) for r in declared}
    dists = packages_distributions()
    missing = {}
    for root in roots:
        for module, where in _imports(REPO / root).items():
            if module in sys.stdlib_module_names or module == "__future__" or _local(module):
                continue
            owners = {_norm(d) for d in dists.get(module, [module])}
            if not owners & names:
                missing[module] = where
    return missing


def test_every_package_the_product_imports_is_a_runtime_dependency() -> None:
    missing = _undeclared(["retool_pulumi"], _project()["runtime"])
    # The emulator's pytest plugin is only ever loaded by pytest.
    assert missing.pop("pytest", None) in (None, "retool_pulumi/emulator/pytest_plugin.py")
    assert missing == {}


def test_every_package_the_tests_and_tools_import_is_declared() -> None:
    deps = _project()
    assert _undeclared(["tests", "tools"], deps["runtime"] + deps["dev"]) == {}


def test_every_runtime_dependency_has_an_upper_bound() -> None:
    unbounded = [
        str(r)
        for r in _project()["runtime"]
        if not any(s.operator in ("<", "<=", "~=", "==") for s in r.specifier)
    ]
    assert unbounded == []


def test_the_pulumi_range_is_the_one_make_pulumi_range_tests() -> None:
    pulumi = next(r for r in _project()["runtime"] if r.name == "pulumi")
    match = re.search(r"^PULUMI_RANGE \?= (\S+) (\S+)$", (REPO / "Makefile").read_text(), re.M)
    assert match, "Makefile: PULUMI_RANGE ?= <lowest> <highest>"
    lowest, highest = Version(match.group(1)), Version(match.group(2))
    assert lowest in pulumi.specifier and highest in pulumi.specifier
    below = Version(
        f"{lowest.major}.{lowest.minor}.{lowest.micro - 1}"
        if lowest.micro
        else f"{lowest.major}.{lowest.minor - 1}.99"
    )
    above = Version(f"{highest.major}.{highest.minor + 1}.0")
    assert below not in pulumi.specifier, f"{pulumi}: allows versions below the tested {lowest}"
    assert above not in pulumi.specifier, f"{pulumi}: allows versions above the tested {highest}"
