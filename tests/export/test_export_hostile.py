"""Names from Retool are data, never code: an organisation full of hostile names (line breaks of
every kind, quotes, backslashes, NUL, emoji, Python code, templates, keywords, very long names,
names that collide once made into variables) exports to a program that parses, runs nothing
it should not (a canary file stays absent), declares every name exactly, and round-trips through
the real engine: `pulumi up` creates nothing, the names in Retool are unchanged, preview is clean."""

from __future__ import annotations

import ast
import builtins
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.export import ExportedProgram, export_program
from tests.engine import changes
from tests.export.export_support import _create, counts, creating, exported_stack, ruff_format_diff, writes

BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def injections(canary: Path) -> list[str]:
    """Names that run `code` if a generator pastes them into a program unescaped."""
    code = f"open({str(canary)!r}, 'w').write('pwned')"
    out = [f"production{brk}{code}{brk}#" for brk in BREAKS]
    out += [
        f'x"""\n{code}\n"""',
        f"x'''\n{code}\n'''",
        f'x" + {code} + "',
        f"x\\\n{code}",
        f"\\N{{{code}}}",
    ]
    return out


OTHERS = [
    "say \"hi\" and 'bye'",
    '"""',
    "'''",
    "C:\\new\\table\\",
    "ends with a backslash \\",
    "nul\x00byte",
    "Finance 💸 team",
    "café ünïcode",
    "日本語",
    "${pulumi.getProject()} {0} {name} %s",
    "<script>alert(1)</script> [x](javascript:alert(1)) # heading",
    "admin\u202eevil",
    "tab\tseparated",
    "class",
    "print",
    "L" * 255,
    "Ops team",
    "ops-team",
    "OPS  TEAM",
    "viewer id",  # a system object's variable is group_viewer_id
    "production id",
]


def all_names(canary: Path) -> list[str]:
    return injections(canary) + OTHERS


def _names_in_retool(em: Emulator) -> dict[str, list[str]]:
    dump = em.store.dump()["collections"]
    fields = {
        "folders": "name",
        "groups": "name",
        "environments": "name",
        "resources": "display_name",
        "configuration_variables": "name",
        "app_themes": "name",
        "spaces": "name",
    }
    return {c: sorted(str(o[f]) for o in dump[c]) for c, f in fields.items()}


def seed_hostile(client: RetoolClient, canary: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Every hostile name on app folders and groups, one in four on each other named type; the
    default environment renamed to an injection. Returns the names and each resource's options."""
    names = all_names(canary)
    envs = {e["name"]: e["id"] for e in client.paginate("/environments")}
    client.patch(
        f"/environments/{envs['production']}",
        json={"operations": [{"op": "replace", "path": "/name", "value": names[0]}]},
    )
    parent = _create(client, "Folder", name=f"parent {names[1]}", folder_type="app")
    options: dict[str, dict[str, str]] = {}
    for i, name in enumerate(names):
        _create(client, "Folder", name=name, folder_type="app")
        _create(client, "Group", name=name)
        if i % 4 == 1:
            _create(client, "Folder", name=name, folder_type="workflow")
            # A value in the default environment: the program looks it up (by its hostile name).
            values = [{"environment_id": envs["production"], "value": name}]
            _create(client, "ConfigurationVariable", name=f"v{i} {name}", secret=False, values=values)
        if i % 4 == 0:
            _create(client, "Folder", name=name, folder_type="app", parent_folder_id=parent["id"])
            _create(client, "Environment", name=f"env {name}", color="#123456")
            _create(client, "AppTheme", name=name, theme={"name": name})
            _create(client, "Space", name=name, domain=f"s{i}.example.com")
            options[name] = {"base_url": f"https://r{i}.example.com"}
            _create(client, "Resource", type="restapi", display_name=name, options=options[name])
    return names, options


@pytest.fixture
def hostile(retool_client: RetoolClient, tmp_path: Path) -> tuple[list[str], dict[str, Any], Path]:
    """The seeded hostile organisation: its names, its resources' options, the canary file."""
    canary = tmp_path / "canary"
    names, options = seed_hostile(retool_client, canary)
    return names, options, canary


def resource_options(program: ExportedProgram, options: dict[str, Any]) -> dict[str, str]:
    """The secret config the export asks for: each resource's options, as seeded."""
    return {
        d.args["options"].key: json.dumps(options[d.args["display_name"]])
        for d in program.declarations
        if d.kind == "Resource"
    }


# ---- running the program without the engine: a recording stand-in for pulumi and retool_pulumi --


class _Recorder(types.ModuleType):
    """Any attribute is a callable that records its call and returns another recorder."""

    def __init__(self, name: str, calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> None:
        super().__init__(name)
        self._calls = calls

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        calls = self._calls
        name = f"{self.__name__}.{attr}"

        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append((name, args, kwargs))
            return _Result()

        return call


class _Result(dict[str, Any]):
    """What a resource, a lookup or `pulumi.Config()` returns: any attribute, item or call
    result is another placeholder."""

    def __getattr__(self, attr: str) -> _Result:
        return _Result()

    def __missing__(self, key: str) -> _Result:
        return _Result()

    def __call__(self, *args: Any, **kwargs: Any) -> _Result:
        return _Result()


def run_with_stand_ins(code: str) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    saved = {m: sys.modules.get(m) for m in ("pulumi", "retool_pulumi")}
    sys.modules["pulumi"] = _Recorder("pulumi", calls)
    sys.modules["retool_pulumi"] = _Recorder("retool", calls)
    try:
        exec(compile(code, "__main__.py", "exec"), {"__name__": "__main__", "__builtins__": builtins})
    finally:
        for m, mod in saved.items():
            if mod is None:
                sys.modules.pop(m, None)
            else:
                sys.modules[m] = mod
    return calls


# ---- the tests -----------------------------------------------------------------------------------


def test_hostile_names_are_data_in_every_generated_file(
    hostile: tuple[list[str], dict[str, Any], Path], retool_client: RetoolClient, tmp_path: Path
) -> None:
    names, _, canary = hostile
    program = export_program(retool_client, connection="eu\nimport os")
    tree = ast.parse(program.code)

    # Only imports, the docstring and assignments of calls at the top level: nothing else runs.
    for node in tree.body:
        ok = isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign)) or (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node is tree.body[0]
        )
        assert ok, f"unexpected statement at line {node.lineno}: {ast.unparse(node)[:200]}"
    called = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    allowed_prefixes = ("retool.", "pulumi.", "config.require_secret")
    assert all(c.startswith(allowed_prefixes) for c in called), called
    # Every variable is assigned once (no name collides with another, nor with a system object's).
    assigned = [
        t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)
    ]
    assert len(assigned) == len(set(assigned)), [a for a in assigned if assigned.count(a) > 1]
    # Every name is in the program exactly, as a string constant.
    constants = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for name in names:
        assert name in constants, f"{name!r} is not declared exactly"
    assert "eu\nimport os" in constants
    assert ruff_format_diff(program.code) == "", "the program is written the way ruff formats it"
    # Emoji and other astral characters are written as themselves, never as surrogate pairs.
    assert "💸" in program.code
    program.code.encode("utf-8")  # no lone surrogate anywhere

    # Running it (with stand-ins for pulumi and retool_pulumi) runs nothing else.
    calls = run_with_stand_ins(program.code)
    assert not canary.exists(), "the exported program ran code from a Retool name"
    declared_folders = {kw["name"] for name, _, kw in calls if name == "retool.Folder"}
    assert set(names) <= declared_folders
    lookups = [args for name, args, _ in calls if name == "retool.get_environment"]
    assert lookups == [(names[0],)], "the default environment is looked up by its exact name"

    # The other files: README lines from Retool never start a heading, a list or HTML; YAML parses.
    written = program.write(tmp_path / "project")
    readme = (tmp_path / "project" / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if "pwned" in line or "script" in line:
            assert line.startswith(("- ", "    ")), line
            assert "<script>" not in line
    headings = [line for line in readme.splitlines() if line.startswith("#")]
    assert all(not any(n in h for n in ("pwned", "heading")) for h in headings), headings
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "\x00" not in text and "\u2028" not in text and "\x85" not in text, path.name
    yaml.safe_load((tmp_path / "project" / "Pulumi.yaml").read_text(encoding="utf-8"))


def test_lone_surrogates_and_unsendable_names_become_notes(
    retool_client: RetoolClient, retool_emulator: Emulator, tmp_path: Path
) -> None:
    # Retool might hold text that is not valid Unicode (a lone surrogate): Pulumi cannot carry it.
    folder = _create(retool_client, "Folder", name="lone surrogate", folder_type="app")
    with retool_emulator.store.lock:
        retool_emulator.store.folders[folder["id"]]["name"] = "lone \ud800 surrogate"
    program = export_program(retool_client)
    ast.parse(program.code)
    program.code.encode("utf-8")
    program.readme().encode("utf-8")
    assert not any(d.args.get("name") == "lone \ud800 surrogate" for d in program.declarations)
    assert any("\\ud800" in n and "not declared" in n for n in program.notes), program.notes


@pytest.mark.engine
def test_hostile_names_round_trip_through_the_real_engine(
    hostile: tuple[list[str], dict[str, Any], Path],
    retool_client: RetoolClient,
    retool_emulator: Emulator,
    retool_env: dict[str, str],
    tmp_path: Path,
) -> None:
    _, options, canary = hostile
    program = export_program(retool_client, project_name="hostile-org")
    st = exported_stack(program, tmp_path, retool_env, resource_options(program, options))
    names, before = _names_in_retool(retool_emulator), counts(retool_emulator)
    retool_emulator.clear_requests()
    st.up()
    assert not canary.exists(), "the exported program ran code from a Retool name"
    assert creating(retool_emulator) == [], f"the adopting up created objects: {writes(retool_emulator)}"
    assert counts(retool_emulator) == before
    assert _names_in_retool(retool_emulator) == names, "a name changed on its way through the engine"
    assert changes(st.preview().change_summary) == {}, "the adopted stack must preview clean"
    assert not canary.exists()
