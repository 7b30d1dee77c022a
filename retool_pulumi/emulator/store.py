"""All emulator state: one `Store` per emulated Retool organisation.

The store holds data, its lock, its persistence and the random/sequential id sources; the rules
of each Retool type (validation, uniqueness, id formats, cascades, masking) live in
`retool_pulumi.emulator.backends`, which also seeds a fresh organisation. Records are kept as
plain dicts in the shape the API returns them; keys starting with an underscore are private
(never answered). Tests may edit the state out of band:

    with em.store.lock:
        em.store.folders["app_12"]["name"] = "renamed"
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import tempfile
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

Record = dict[str, Any]

# Collections keyed by id; the order of insertion is the order lists return them in.
COLLECTIONS = (
    "users",
    "groups",
    "folders",
    "spaces",
    "environments",
    "resources",
    "resource_configurations",
    "configuration_variables",
    "apps",
    "workflows",
    "user_invites",
    "user_attributes",
    "roles",
    "role_grants",
    "app_themes",
    "observability_configs",
    "access_tokens",
    "custom_component_libraries",
    "library_revisions",
    "access_requests",
    "deployments",
)
SINGLETONS = ("organization", "ai_settings", "source_control_settings", "source_control_config", "sso_config")


def now() -> str:
    """Current time in Retool's format (ISO 8601, milliseconds, Z)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def public(record: Record) -> Record:
    """A copy of a record without private (underscore) keys."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


class Store:
    """State of one emulated organisation, guarded by `lock` (re-entrant); empty until seeded
    (`Backends(store).reset()`) or loaded."""

    def __init__(self, seed: int = 0, token: str = "test-token") -> None:  # noqa: S107
        self.lock = threading.RLock()
        self.token = token
        self.users: dict[str, Record] = {}
        self.groups: dict[int, Record] = {}
        self.folders: dict[str, Record] = {}
        self.spaces: dict[str, Record] = {}
        self.environments: dict[str, Record] = {}
        self.resources: dict[str, Record] = {}
        self.resource_configurations: dict[str, Record] = {}
        self.configuration_variables: dict[str, Record] = {}
        self.apps: dict[str, Record] = {}
        self.workflows: dict[str, Record] = {}
        self.user_invites: dict[int, Record] = {}
        self.user_attributes: dict[str, Record] = {}
        self.roles: dict[str, Record] = {}
        self.role_grants: dict[str, Record] = {}
        self.app_themes: dict[int, Record] = {}
        self.observability_configs: dict[str, Record] = {}
        self.access_tokens: dict[str, Record] = {}
        self.custom_component_libraries: dict[str, Record] = {}
        self.library_revisions: dict[str, Record] = {}
        self.access_requests: dict[int, Record] = {}
        self.deployments: dict[str, Record] = {}
        # (subject_type, subject_id, object_type, object_id) -> grant record
        self.permissions: dict[tuple[str, str, str, str], Record] = {}
        self.organization: Record = {}
        self.ai_settings: Record = {}
        self.source_control_settings: Record = {}
        self.source_control_config: Record | None = None
        self.sso_config: Record | None = None
        self.counters: dict[str, int] = {}
        self.seed = seed
        self._rng = random.Random(seed)
        self.admin_user_id = ""

    # ---- id generation -------------------------------------------------------------

    def next_int(self, name: str, start: int = 1) -> int:
        """Next value of a named integer sequence."""
        with self.lock:
            value = self.counters.get(name, start - 1) + 1
            self.counters[name] = value
            return value

    def hex32(self) -> str:
        """32 random hex digits (deterministic for a given seed)."""
        with self.lock:
            return f"{self._rng.getrandbits(128):032x}"

    def new_uuid(self) -> str:
        """A random (version 4) UUID, deterministic for a given seed."""
        with self.lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    # ---- clearing --------------------------------------------------------------------

    def clear(self, seed: int | None = None) -> None:
        """Drop all state and restart the id sources (from `seed` when given)."""
        with self.lock:
            if seed is not None:
                self.seed = seed
            self._rng = random.Random(self.seed)
            for name in COLLECTIONS:
                getattr(self, name).clear()
            self.permissions.clear()
            self.counters = {}
            self.admin_user_id = ""
            self.organization = {}
            self.ai_settings = {}
            self.source_control_settings = {}
            self.source_control_config = None
            self.sso_config = None

    # ---- lookups used by backends and tests -------------------------------------------

    def find(self, collection: str, **match: Any) -> Record | None:
        """First record of a collection whose fields equal `match`, e.g. find("groups", name="admin")."""
        with self.lock:
            for rec in getattr(self, collection).values():
                if all(rec.get(k) == v for k, v in match.items()):
                    return rec  # type: ignore[no-any-return]
            return None

    def update(self, collection: str, record_id: Any, **fields: Any) -> Record:
        """Set fields on a record directly (bumps updated_at when the record has one)."""
        with self.lock:
            rec: Record = getattr(self, collection)[record_id]
            rec.update(fields)
            if "updated_at" in rec and "updated_at" not in fields:
                rec["updated_at"] = now()
            return rec

    # ---- persistence -----------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The whole state as JSON-compatible data (private keys included)."""
        with self.lock:
            return {
                "seed": self.seed,
                "admin_user_id": self.admin_user_id,
                "counters": dict(self.counters),
                "rng": _rng_state(self._rng),
                "collections": {name: list(getattr(self, name).values()) for name in COLLECTIONS},
                "permissions": list(self.permissions.values()),
                "singletons": {name: getattr(self, name) for name in SINGLETONS},
            }

    def load(self, data: dict[str, Any]) -> None:
        """Replace the state with a `dump()`."""
        data = copy.deepcopy(data)
        with self.lock:
            self.seed = data.get("seed", 0)
            self.admin_user_id = data.get("admin_user_id", "")
            self.counters = dict(data.get("counters", {}))
            self._rng = random.Random(self.seed)
            if "rng" in data:
                self._rng.setstate(_rng_from(data["rng"]))
            for name in COLLECTIONS:
                target = getattr(self, name)
                target.clear()
                for rec in data.get("collections", {}).get(name, []):
                    target[rec["id"]] = rec
            self.permissions.clear()
            for grant in data.get("permissions", []):
                self.permissions[_grant_key(grant)] = grant
            for name in SINGLETONS:
                setattr(self, name, data.get("singletons", {}).get(name))
            if self.organization is None:
                self.organization = {}

    def snapshot(self) -> bytes:
        """`dump()` serialised, taken under the lock (compact JSON: the C encoder, ~10x the
        speed of an indented dump, which matters because the lock blocks every request)."""
        with self.lock:
            return json.dumps(self.dump(), separators=(",", ":"), sort_keys=True).encode()

    def save_file(self, path: str | Path) -> None:
        """Write `dump()` to a JSON file atomically, readable by its owner only (0600).

        The file holds what the API masks (resource passwords, secret variable values, minted
        tokens): it is written to a fresh 0600 temporary file in the same directory, synced and
        renamed over the target, so a crash leaves either the old or the new file, never a torn
        one, and never a moment where the secrets are world-readable."""
        write_private_file(Path(path), self.snapshot())

    def load_file(self, path: str | Path) -> None:
        """Load state written by `save_file` (and tighten the file to 0600 if it was looser)."""
        target = Path(path)
        if target.stat().st_mode & 0o077:
            target.chmod(0o600)
        self.load(json.loads(target.read_bytes()))


def write_private_file(target: Path, data: bytes) -> None:
    """Atomically replace `target` with `data`, mode 0600 from creation to rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable (not possible everywhere)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _grant_key(grant: Record) -> tuple[str, str, str, str]:
    return (grant["subject_type"], str(grant["subject_id"]), grant["object_type"], str(grant["object_id"]))


def _rng_state(rng: random.Random) -> list[Any]:
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def _rng_from(state: list[Any]) -> tuple[Any, ...]:
    return (state[0], tuple(state[1]), state[2])
