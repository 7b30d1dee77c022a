"""Destroying an exported stack must not wipe the organisation: every declaration is retained on
delete, and what keeps the caller in the organisation (their user, their admin membership, their
access token) and SSO is also protected. The caller is the owner of the export's access token
(found by its last four characters among the organisation's tokens), else every active admin.
(The real engine's destroy is in test_export_round_trip.py.)"""

from __future__ import annotations

import ast

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.export import ExportedProgram, export_program
from tests.export.export_support import _create


def _protected(program: ExportedProgram) -> dict[str, str]:
    return {d.var: d.kind for d in program.declarations if d.protect}


def test_every_declaration_is_retained_on_delete(seeded: dict[str, str], retool_client: RetoolClient) -> None:
    program = export_program(retool_client)
    tree = ast.parse(program.code)
    options = {
        ast.unparse(n.targets[0]): ast.unparse(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) in ("ADOPTED", "PROTECTED")
    }
    assert options == {
        "ADOPTED": "pulumi.ResourceOptions(retain_on_delete=True)",
        "PROTECTED": "pulumi.ResourceOptions(retain_on_delete=True, protect=True)",
    }
    calls = [n.value for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)]
    declared = [c for c in calls if ast.unparse(c.func).startswith("retool.") and c.args]
    assert len(declared) == len(program.declarations)
    for call in declared:
        opts = [ast.unparse(k.value) for k in call.keywords if k.arg == "opts"]
        assert opts in (["ADOPTED"], ["PROTECTED"]), ast.unparse(call)[:200]
    readme = program.readme()
    assert "retain\\_on\\_delete" in readme or "retain_on_delete" in readme
    assert "Taking ownership" in readme


def test_without_the_token_every_active_admin_is_protected(
    seeded: dict[str, str], retool_client: RetoolClient, retool_emulator: Emulator
) -> None:
    admin = retool_emulator.store.admin_user_id
    with retool_emulator.store.lock:
        retool_emulator.store.users[seeded["bob"]]["is_admin"] = True
        retool_emulator.store.users[seeded["bob"]]["active"] = False  # disabled: not protected
    program = export_program(retool_client)
    protected = _protected(program)
    assert protected == {
        "user_admin_example_com": "User",
        "group_member_admin_admin_example_com": "GroupMember",
        "sso_config": "SsoConfig",
    }
    assert next(d for d in program.declarations if d.var == "user_admin_example_com").adopt_id == admin
    assert any("active admin" in p for p in program.protected)


def test_the_owner_of_the_access_token_is_protected(
    seeded: dict[str, str], retool_client: RetoolClient, retool_emulator: Emulator
) -> None:
    # Ada is an admin and owns the token the export runs with; the seeded admin is not the caller.
    _create(retool_client, "GroupMember", group_id="1", user_id=seeded["ada"])
    theirs = _create(retool_client, "AccessToken", label="Export token", scopes=["users:read"])
    store = retool_emulator.store
    with store.lock:
        store.users[seeded["ada"]]["is_admin"] = True
        ada_legacy = store.users[seeded["ada"]]["legacy_id"]
        store.access_tokens[theirs["id"]].update(last4=retool_emulator.token[-4:], owner_legacy_id=ada_legacy)
    program = export_program(retool_client, access_token_last4=retool_emulator.token[-4:])
    protected = _protected(program)
    token_var = next(
        d.var for d in program.declarations if d.kind == "AccessToken" and d.adopt_id == theirs["id"]
    )
    assert protected == {
        "user_ada_example_com": "User",
        "group_member_admin_ada_example_com": "GroupMember",
        token_var: "AccessToken",
        "sso_config": "SsoConfig",
    }
    assert any("owns the access token" in p for p in program.protected)
    assert "PROTECTED = pulumi.ResourceOptions(retain_on_delete=True, protect=True)" in program.code
