"""What the export cannot express is said, never dropped, and never written in a form check
rejects; one object of an unexpected shape becomes a note, never a crash of the whole export."""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from typing import Any

import pytest

from retool_pulumi import export
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN
from retool_pulumi.errors import ServerError
from retool_pulumi.export import ExportedProgram, export_program
from tests.export.export_support import seed


def _known(value: Any) -> Any:
    """A declaration's value as check sees it at preview: references and secrets are unknown."""
    if isinstance(value, (export.Ref, export.Expr, export.Secret)):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: _known(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_known(v) for v in value]
    return value


def check_failures(program: ExportedProgram) -> list[str]:
    """Every check failure the provider reports for the program's declarations."""
    out = []
    for decl in program.declarations:
        props = {k: _known(v) for k, v in decl.args.items() if v is not None}
        result = RetoolProvider(decl.kind).check({}, props)
        out += [f"{decl.var}: {f.reason}" for f in result.failures or []]
    return out


@pytest.fixture
def odd() -> Iterator[tuple[Emulator, RetoolClient]]:
    """An emulator that serves whatever its store holds (responses are not checked against the
    spec: the point is shapes the spec does not promise), seeded with every exportable type."""
    with Emulator(validate_responses=False) as em:
        client = RetoolClient(em.host, em.token, scheme="http", requests_per_minute=0)
        seed(client)
        yield em, client
        client.close()


def test_what_check_would_reject_is_listed_as_not_declared(
    retool_client: RetoolClient, retool_emulator: Emulator, seeded: dict[str, str]
) -> None:
    store = retool_emulator.store
    with store.lock:
        # A resource type Retool lists but POST /resources does not take.
        template = next(r for r in store.resources.values() if r["type"] == "postgresql")
        mongo = {**copy.deepcopy(template), "id": "11111111-2222-4333-8444-555555555555"}
        mongo.update(type="mongodb", display_name="Mongo events")
        store.resources[mongo["id"]] = mongo
        # A user without names (SSO users can have none).
        store.users[seeded["bob"]]["first_name"] = None
        store.users[seeded["bob"]]["last_name"] = None
    program = export_program(retool_client)
    ast.parse(program.code)
    assert check_failures(program) == []
    resources = [d.args["display_name"] for d in program.declarations if d.kind == "Resource"]
    assert "Mongo events" not in resources and "Orders DB" in resources
    users = [d.args["email"] for d in program.declarations if d.kind == "User"]
    assert "bob@example.com" not in users and "ada@example.com" in users
    mongo_note = next(n for n in program.notes if '"Mongo events"' in n)
    assert "not declared" in mongo_note and "type" in mongo_note
    bob_note = next(n for n in program.notes if '"bob@example.com"' in n)
    assert "not declared" in bob_note and "first_name" in bob_note
    for note in (mongo_note, bob_note):
        assert note in program.code.replace("\n# ", " ").replace("# - ", "")
    readme = program.readme()
    assert "Mongo events" in readme and "bob\\@example\\.com" in readme
    # What refers to them still refers to them, by id.
    assert any(
        d.kind == "GroupMember" and d.args["user_id"] == seeded["bob"] for d in program.declarations
    ), "Bob's memberships are declared by his id"


def test_one_object_of_an_unexpected_shape_is_a_note_not_a_crash(odd: tuple[Emulator, RetoolClient]) -> None:
    em, client = odd
    store = em.store
    with store.lock:
        role_id = next(iter(store.roles))
        group_id = next(g for g in store.groups if store.groups[g]["name"] == "Analysts")
        store.role_grants["g-no-role"] = {"id": "g-no-role", "subject_type": "group"}
        store.role_grants["g-space"] = {
            "id": "g-space",
            "role_id": role_id,
            "subject_type": "space",
            "subject_id": "5",
        }
        store.role_grants["g-no-id"] = {"role_id": role_id, "subject_type": "group", "subject_id": "x"}
        store.groups[group_id]["members"].append({"email": "ghost@example.com"})
        env = next(e for e in store.environments.values() if e["name"] == "qa")
        del env["name"]
        var = next(v for v in store.configuration_variables.values() if v["name"] == "api_base")
        var["values"] = None
        user = next(u for u in store.users.values() if u["email"] == "ada@example.com")
        user["metadata"] = ["not", "an", "object"]
        store.users["user_noid"] = {"email": "noid@example.com", "is_admin": True, "active": True}
        store.users["user_noemail"] = {"id": "user_noemail", "first_name": "No", "last_name": "Email"}
        support = next(g for g in store.groups.values() if g["name"] == "Support")
        support["members"] = {"not": "a list"}
        folder = next(f for f in store.folders.values() if f["name"] == "Automations")
        del folder["folder_type"]
        store.app_themes[999] = {"id": 999}
    program = export_program(client)
    ast.parse(program.code)
    assert check_failures(program) == []
    text = "\n".join(program.notes)
    for odd_one in (
        "noid@example.com",
        "user_noemail",
        "Support",
        "g-no-role",
        "g-space",
        "ghost@example.com",
        "api_base",
        "ada@example.com",
        "Automations",
    ):
        assert odd_one in text, f"{odd_one}: no note\n{text}"
    assert "not exported" in text
    assert len(program.notes) == len(set(program.notes))
    # Everything else is still exported.
    kinds = {d.kind for d in program.declarations}
    for kind in ("Folder", "Group", "User", "GroupMember", "Resource", "Permission", "Role", "RoleGrant"):
        assert kind in kinds, kind
    grants = [d for d in program.declarations if d.kind == "RoleGrant"]
    assert len(grants) == 1  # the seeded, well-formed one
    names = [d.args.get("name") for d in program.declarations if d.kind == "Folder"]
    assert "Reports" in names and "Q1" in names


class _FailingSpaces(RetoolClient):
    """A client whose listing of spaces fails with an error message holding code and line breaks."""

    MESSAGE = 'nope\nimport os; open("canary", "w")\r\u2028#'

    def paginate(self, path: str, params: Any = None) -> Iterator[Any]:
        if path.rstrip("/") == "/spaces":
            raise ServerError(500, "GET", path, self.MESSAGE)
        return super().paginate(path, params)


def test_a_listing_that_fails_is_a_note_of_one_line(
    retool_emulator: Emulator, seeded: dict[str, str]
) -> None:
    client = _FailingSpaces(retool_emulator.host, retool_emulator.token, scheme="http", requests_per_minute=0)
    with client:
        program = export_program(client)
    tree = ast.parse(program.code)
    assert not [n for n in tree.body if isinstance(n, ast.Import) and "os" in ast.unparse(n)]
    note = next(n for n in program.notes if n.startswith("Space: not exported"))
    assert "nope" in note
    comment = next(line for line in program.code.splitlines() if "Space: not exported" in line)
    assert comment.startswith("# ") and "open(" in comment  # the whole message, on one line
    assert any(d.kind == "Folder" and d.args["name"] == "Reports" for d in program.declarations)
