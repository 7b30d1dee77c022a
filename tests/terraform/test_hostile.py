"""A Terraform state is data: hostile resource names, `for_each` keys, module names, values and
paths become string literals, comments, inert Markdown and single shell words, never code, a
new README line or a second shell command (the exporter's quoting, `export/text.py`)."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path
from typing import Any

from retool_pulumi.terraform import convert_state, parse_state

NAME = 'x"); __import__("os").system("touch pwned") #'
# Retool allows 36 characters in a user's name (the spec's maxLength): as hostile, but shorter.
SHORT_NAME = 'x");__import__("os").system("p")#'
KEY = 'k\'"\n"""$(touch pwned)\u2028`id`\\'
MODULE = 'module.m"\n'
GROUP = '"""\nimport os\nos.system("touch pwned")\n"""'
FOLDER = "Q1 \u202eevil\r\n# heading\n```"
DESCRIPTION = "C:\\new\\table\x00\x1b[31m"
METADATA = {'a"b\n': "c\u2029d", "e": "'''"}
SECRET = '"; rm -rf / #\n$(touch pwned)'
ADDRESSES = (
    f"retool_group.{NAME}",
    f"retool_folder.f[{json.dumps(KEY, ensure_ascii=False)}]",
    f"{MODULE}.retool_environment.e",
    "retool_user.u",
    "retool_configuration_variable.v",
)


def _instance(attributes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 0, "attributes": attributes, **extra}


def hostile_state() -> dict[str, Any]:
    group = {
        "id": "65",
        "legacy_id": "65",
        "name": GROUP,
        "universal_app_access": "use",
        "landing_page_app_id": None,
    }
    folder = {
        "id": "app_12",
        "legacy_id": "app_12",
        "name": FOLDER,
        "folder_type": "app",
        "parent_folder_id": "ROOT",
    }
    env = {
        "id": "b1c9a3e4-5f27-4c1d-9e8a-2f6b7d3c1a05",
        "name": "qa",
        "color": "#1E88E5",
        "description": DESCRIPTION,
    }
    user = {
        "id": "user_6f1d2c3b4a5e4f60918273645a5b6c7d",
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": SHORT_NAME,
        "metadata": json.dumps(METADATA),
        "last_active": KEY,
    }
    variable = {
        "id": "7d4e3f2a-1b0c-4d9e-8f6a-5b4c3d2e1f0a",
        "name": NAME,
        "secret": True,
        "description": None,
        "values": [{"environment_id": env["id"], "value": SECRET}],
    }
    return {
        "version": 4,
        "resources": [
            {"mode": "managed", "type": "retool_group", "name": NAME, "instances": [_instance(group)]},
            {
                "mode": "managed",
                "type": "retool_folder",
                "name": "f",
                "each": "map",
                "instances": [_instance(folder, index_key=KEY)],
            },
            {
                "module": MODULE,
                "mode": "managed",
                "type": "retool_environment",
                "name": "e",
                "instances": [_instance(env)],
            },
            {"mode": "managed", "type": "retool_user", "name": "u", "instances": [_instance(user)]},
            {
                "mode": "managed",
                "type": "retool_configuration_variable",
                "name": "v",
                "instances": [_instance(variable)],
            },
            {"mode": "data", "type": "retool_groups", "name": KEY, "instances": [_instance({})]},
            {"mode": "managed", "type": f'evil"{KEY}', "name": NAME, "instances": [_instance({})]},
            {
                "mode": "managed",
                "type": "retool_group",
                "name": "surrogate",
                "instances": [_instance({**group, "id": "66", "name": "lone \ud800 surrogate"})],
            },
        ],
    }


def _constants(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_hostile_text_in_a_state_never_becomes_code(tmp_path: Path) -> None:
    state_path = tmp_path / 'my "state".tfstate'
    program = convert_state(parse_state(hostile_state()), state_path=state_path)
    tree = ast.parse(program.code)
    compile(program.code, "__main__.py", "exec")
    # Only the program's own statements: a docstring, imports, assignments of calls.
    allowed_calls = {"ResourceOptions", "Config", "require_secret", "require_secret_object"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            assert isinstance(func, ast.Attribute), ast.dump(func)
            owner = func.value
            assert isinstance(owner, ast.Name) and owner.id in ("retool", "pulumi", "config"), ast.dump(func)
            assert owner.id == "retool" or func.attr in allowed_calls, func.attr
    body = tree.body
    assert isinstance(body[0], ast.Expr)  # the docstring
    for stmt in body[1:]:
        assert isinstance(stmt, (ast.Import, ast.Assign)), ast.dump(stmt)
    # The values are in the program exactly, as string literals.
    constants = _constants(tree)
    assert GROUP in constants
    assert FOLDER in constants
    assert DESCRIPTION in constants
    assert NAME in constants  # the resource name of the group, the variable's name
    assert SHORT_NAME in constants  # a last name
    assert f"f[{json.dumps(KEY, ensure_ascii=False)}]" in constants
    assert f"{MODULE}.e" in constants
    assert set(METADATA) <= constants and set(METADATA.values()) <= constants
    names = {d.resource_name for d in program.declarations}
    assert names == {NAME, f"f[{json.dumps(KEY, ensure_ascii=False)}]", f"{MODULE}.e", "u", "v"}
    for decl in program.declarations:
        call = next(
            n.value
            for n in body
            if isinstance(n, ast.Assign)
            and isinstance(n.targets[0], ast.Name)
            and n.targets[0].id == decl.var
        )
        assert isinstance(call, ast.Call)
        assert isinstance(call.args[0], ast.Constant) and call.args[0].value == decl.resource_name
    # The secret stays in memory; what the check rejects and what is left out is noted.
    assert SECRET not in "".join(program.files().values())
    assert list(program.secret_values.values()) == [SECRET]
    assert any("lone" in n and "not valid Unicode" in n for n in program.notes)
    assert any(n.startswith("data.retool_groups.") and "data source" in n for n in program.notes)
    assert any(n.startswith("evil") and "not a Retool resource" in n for n in program.notes)
    assert any(u.startswith("retool_user.u: `last_active`") for u in program.unexpressed)


def test_hostile_text_in_the_readme_stays_inert(tmp_path: Path) -> None:
    program = convert_state(parse_state(hostile_state()), state_path=tmp_path / 'my "state".tfstate')
    readme = program.readme()
    headings = [line for line in readme.splitlines() if line.startswith("#")]
    assert headings == [
        "# retool\\-org",
        "## Connection",
        "## Secrets to set before `pulumi up`",
        "## Hand-over from Terraform",
        "## Adopted, not owned",
        "### Taking ownership",
        "## Not carried over from the Terraform state",
        "## Not declared",
    ]
    assert len(readme.splitlines()) == readme.count("\n")  # no stray line breaks of any kind
    # A state path that cannot be written as a plain word in a command is left to the user.
    command = next(c.command for c in program.config if c.value_from)
    assert command.startswith("retool-pulumi from-terraform path/to/terraform.tfstate --secret ")
    assert "replace `path/to/terraform.tfstate` with the state's path" in readme
    with_space = convert_state(parse_state(hostile_state()), state_path=tmp_path / "my state.tfstate")
    command = next(c.command for c in with_space.config if c.value_from)
    assert command.startswith(f"retool-pulumi from-terraform '{tmp_path / 'my state.tfstate'}' --secret ")


def test_terraform_state_rm_commands_name_exactly_the_moved_addresses() -> None:
    program = convert_state(parse_state(hostile_state()))
    assert sorted(program.moved) == sorted(ADDRESSES)
    lines = [line for line in program.readme().splitlines() if line.startswith("terraform state rm ")]
    assert len(lines) == len(ADDRESSES)
    # Each line, run by bash with `terraform` printing its arguments, names one address exactly.
    script = 'terraform() { printf "%s\\0" "$@"; printf "\\n--\\n"; }\n' + "\n".join(lines)
    out = subprocess.run(["bash", "-c", script], capture_output=True, check=True).stdout.decode()
    calls = [c.lstrip("\n") for c in out.split("\n--\n") if c.strip("\n")]
    assert [c.split("\0")[:-1] for c in calls] == [["state", "rm", a] for a in program.moved]
