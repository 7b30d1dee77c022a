"""Refresh on real responses: every production answer to a read in the recordings, fed through the
provider's `read` with the inputs the recording's create/update declared, refreshes without a diff.

The recordings (`../shared/retool-api/recordings`) are Retool's Terraform provider talking to a
live Retool. For each object a recording creates, this replays the recording in order: the body
Retool accepted at create (and each update after it) becomes the declared inputs (in this
provider's shape: the root folder is None, space options are flat, ...), which must pass the
provider's check; at every recorded read of the object (its GET, a listing holding it, the
subject's `listObjects`) a loopback server answers with the recorded bodies, and the provider's
read must keep the object, report exactly the declared inputs (masked and write-only secrets
keep their declared values) and no diff. A grant the recording revokes must read as gone.

Covered: ConfigurationVariable (plain and secret), Environment, Folder, Group, Permission,
Resource, ResourceConfiguration, SourceControl (GitHub app and token, GitLab, AWS CodeCommit,
Bitbucket, Azure Repos), SourceControlSettings, Space, User. The recordings hold no traffic of
the other types (NOT_RECORDED below): those are verified against the spec and the emulator only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from retool_pulumi import connection
from retool_pulumi.engine import RetoolProvider, all_specs, spec_for
from retool_pulumi.engine.cache import LISTINGS
from retool_pulumi.types import _common
from retool_pulumi.types._common import pick_root_folder
from tests.fidelity.recordings import Interaction, Replay, load, recording_names

PROVIDER_KEY = "__provider"
COVERED = {
    "ConfigurationVariable",
    "Environment",
    "Folder",
    "Group",
    "Permission",
    "Resource",
    "ResourceConfiguration",
    "SourceControl",
    "SourceControlSettings",
    "Space",
    "User",
}
NOT_RECORDED = {
    "AccessToken",
    "AiSettings",
    "AppTheme",
    "CustomComponentLibrary",
    "GroupMember",
    "ObservabilityConfig",
    "OrganizationSettings",
    "Role",
    "RoleGrant",
    "SsoConfig",
    "UserAttribute",
    "UserAttributeValue",
    "UserInvite",
}

pytestmark = pytest.mark.skipif(
    not recording_names(), reason="../shared/retool-api/recordings is not present next to the repository"
)


@dataclass
class Managed:
    """An object a recording created, with the body Retool accepted (updates applied)."""

    kind: str
    id: str
    api: dict[str, Any]
    gone: bool = False


@dataclass
class Read:
    """One recorded read of a managed object: what the provider must make of it."""

    obj: Managed
    declared: dict[str, Any]
    listing: bool  # a listing (read through the listing cache) rather than the object's own GET
    gone: bool  # removed by then (a revoked grant)
    answers: dict[tuple[str, str, str], Interaction] = field(repr=False)
    interaction: Interaction = field(repr=False)


# ---- how each type appears in the recordings --------------------------------------------------


class Rest:
    """A collection with POST create, GET/PUT/PATCH/DELETE of `<collection>/<id>`."""

    def __init__(self, kind: str, collection: str) -> None:
        self.kind, self.collection = kind, collection

    def created(self, ix: Interaction) -> Managed | None:
        if ix.method == "POST" and ix.path == self.collection and isinstance(ix.data, dict):
            return Managed(self.kind, str(ix.data["id"]), dict(ix.request))
        return None

    def changed(self, ix: Interaction, obj: Managed) -> bool:
        """Apply an update of `obj` (or see it deleted); whether `ix` was one."""
        if ix.path != f"{self.collection}/{obj.id}":
            return False
        if ix.method == "PUT":
            obj.api = dict(ix.request)
        elif ix.method == "PATCH":
            for op in ix.request["operations"]:
                assert op["op"] in ("replace", "add") and op["path"].count("/") == 1, op
                obj.api[op["path"][1:]] = op["value"]
        elif ix.method == "DELETE":
            obj.gone = True
        return ix.method in ("PUT", "PATCH", "DELETE")

    def read_kind(self, ix: Interaction, obj: Managed) -> str | None:
        """ "get" or "list" when `ix` is a read of `obj`."""
        if ix.method != "GET":
            return None
        if ix.path == f"{self.collection}/{obj.id}":
            return "get"
        if ix.path == self.collection and any(str(i.get("id")) == obj.id for i in ix.data or []):
            return "list"
        return None

    def inputs(self, api: dict[str, Any], answers: dict[tuple[str, str, str], Interaction]) -> dict[str, Any]:
        fields = spec_for(self.kind).fields
        return {k: v for k, v in api.items() if k in fields and v is not None}


class Folders(Rest):
    def inputs(self, api: dict[str, Any], answers: dict[tuple[str, str, str], Interaction]) -> dict[str, Any]:
        out = super().inputs(api, answers)
        listing = answers[("GET", "/folders", "")].data
        root = pick_root_folder(listing, out["folder_type"])
        if root is not None and out.get("parent_folder_id") == root["id"]:
            del out["parent_folder_id"]  # the root folder is declared as None
        return out


class Spaces(Rest):
    def inputs(self, api: dict[str, Any], answers: dict[tuple[str, str, str], Interaction]) -> dict[str, Any]:
        return super().inputs({**api, **api.get("options", {})}, answers)


class Singleton(Rest):
    """A singleton at `collection`, set by PUT with its fields under `wrapper`."""

    def __init__(self, kind: str, collection: str, wrapper: str) -> None:
        super().__init__(kind, collection)
        self.wrapper = wrapper

    def created(self, ix: Interaction) -> Managed | None:
        if ix.method == "PUT" and ix.path == self.collection:
            return Managed(self.kind, spec_for(self.kind).singleton_id, dict(ix.request[self.wrapper]))
        return None

    def changed(self, ix: Interaction, obj: Managed) -> bool:
        if ix.path != self.collection or ix.method not in ("PUT", "DELETE"):
            return False
        if ix.method == "PUT":
            obj.api = dict(ix.request[self.wrapper])
        else:
            obj.gone = True
        return True

    def read_kind(self, ix: Interaction, obj: Managed) -> str | None:
        return "get" if ix.method == "GET" and ix.path == self.collection else None


class Permissions(Rest):
    """Grants: POST /permissions/grant creates or changes, /revoke removes, listObjects reads."""

    def __init__(self) -> None:
        super().__init__("Permission", "/permissions")

    @staticmethod
    def _id(subject: dict[str, Any], obj: dict[str, Any]) -> str:
        return f"{subject['type']}/{subject['id']}/{obj['type']}/{obj['id']}"

    def created(self, ix: Interaction) -> Managed | None:
        body = ix.request
        if ix.method == "POST" and ix.path == "/permissions/grant" and body["object"]["type"] != "screen":
            return Managed(self.kind, self._id(body["subject"], body["object"]), dict(body))
        return None

    def changed(self, ix: Interaction, obj: Managed) -> bool:
        if ix.method != "POST" or ix.path not in ("/permissions/grant", "/permissions/revoke"):
            return False
        if self._id(ix.request["subject"], ix.request["object"]) != obj.id:
            return False
        if ix.path.endswith("/grant"):
            obj.api, obj.gone = dict(ix.request), False
        else:
            obj.gone = True
        return True

    def read_kind(self, ix: Interaction, obj: Managed) -> str | None:
        if ix.method == "POST" and ix.path == "/permissions/listObjects":
            body = ix.request
            if body["subject"] == obj.api["subject"] and body["object_type"] == obj.api["object"]["type"]:
                return "get"
        return None

    def inputs(self, api: dict[str, Any], answers: dict[tuple[str, str, str], Interaction]) -> dict[str, Any]:
        return {
            "subject_type": api["subject"]["type"],
            "subject_id": str(api["subject"]["id"]),
            "object_type": api["object"]["type"],
            "object_id": api["object"]["id"],
            "access_level": api["access_level"],
        }


KINDS: list[Rest] = [
    Rest("ConfigurationVariable", "/configuration_variables"),
    Rest("Environment", "/environments"),
    Folders("Folder", "/folders"),
    Rest("Group", "/groups"),
    Permissions(),
    Rest("Resource", "/resources"),
    Rest("ResourceConfiguration", "/resource_configurations"),
    Singleton("SourceControl", "/source_control/config", "config"),
    Singleton("SourceControlSettings", "/source_control/settings", "settings"),
    Spaces("Space", "/spaces"),
    Rest("User", "/users"),
]


def reads_in(name: str) -> Iterator[Read]:
    """Every recorded read of an object the recording created, with what was declared then."""
    answers: dict[tuple[str, str, str], Interaction] = {}
    objects: list[tuple[Rest, Managed]] = []
    for ix in load(name):
        answers[ix.key] = ix
        if ix.status >= 400:
            continue
        if not any(k.changed(ix, obj) for k, obj in objects):
            for k in KINDS:
                made = k.created(ix)
                if made is not None and not any(o.id == made.id and o.kind == made.kind for _, o in objects):
                    objects.append((k, made))
        for k, obj in objects:
            how = k.read_kind(ix, obj)
            if how is not None and (not obj.gone or obj.kind == "Permission"):
                yield Read(obj, k.inputs(obj.api, answers), how == "list", obj.gone, dict(answers), ix)


# ---- the checks -------------------------------------------------------------------------------


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Replay]:
    server = Replay()
    for name in ("RETOOL_CONNECTIONS", "RETOOL_UNIX_SOCKET_PATH", "RETOOL_TIMEOUT", "RETOOL_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RETOOL_HOST", server.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", "replay-token")
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    connection.set_stack_config(None)
    with server.running():
        yield server
    connection.reset_clients()
    LISTINGS.clear()
    _common._root_folders.clear()


def _refresh(read: Read, replay: Replay, monkeypatch: pytest.MonkeyPatch) -> None:
    where = f"{read.obj.kind} {read.obj.id} at interaction {read.interaction.index}"
    replay.serve(read.answers)
    connection.reset_clients()
    LISTINGS.clear()
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "60" if read.listing else "0")
    provider = RetoolProvider(read.obj.kind)
    checked = provider.check({}, {**read.declared, PROVIDER_KEY: "p"})
    problems = [(f.property, f.reason) for f in checked.failures]
    assert not problems, f"{where}: Retool accepted this, check must too: {problems}"
    declared = dict(checked.inputs)
    result = provider.read(read.obj.id, {**declared, PROVIDER_KEY: "p"})
    if read.gone:
        assert result.id == "", f"{where}: revoked in the recording, the read must say gone"
        return
    assert result.id == read.obj.id, f"{where}: the read lost the object (asked {replay.asked})"
    assert result.inputs == declared, f"{where}: the read differs from the declared inputs"
    assert provider.diff(read.obj.id, result.outs, declared).changes is False, f"{where}: a diff"
    secret = set(spec_for(read.obj.kind).secret_fields) | ({"values"} if declared.get("secret") else set())
    for name in secret & set(declared):
        assert result.outs[name] == declared[name], f"{where}: the declared {name} was not kept"
    if read.listing:
        assert ("GET", f"/{read.interaction.path.strip('/')}", "") in replay.asked, where


@pytest.mark.parametrize("name", recording_names())
def test_every_recorded_read_refreshes_without_a_diff(
    name: str, replay: Replay, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = 0
    for read in reads_in(name):
        _refresh(read, replay, monkeypatch)
        reads += 1
    if not reads:
        pytest.skip(f"{name} creates nothing (a data source's listings only)")


def test_the_recordings_cover_the_types_they_are_said_to() -> None:
    seen: dict[str, int] = {}
    for name in recording_names():
        for read in reads_in(name):
            seen[read.obj.kind] = seen.get(read.obj.kind, 0) + 1
    assert set(seen) == COVERED, seen
    assert COVERED | NOT_RECORDED == {s.kind for s in all_specs()}
    assert not COVERED & NOT_RECORDED
