"""Value handling shared by check, diff and read: unknowns, normalisation, masked secrets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from pulumi.output import Unknown

# The sentinel the Python SDK gives a provider for a value not known during preview.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

# What Retool returns instead of a secret it keeps (configuration variables, source control).
MASK = "---encrypted-on-server---"

# Stands for a secret that changed on the server behind our back (a rotation).
ROTATED = "<changed outside Pulumi>"


def is_unknown(value: Any) -> bool:
    """During preview the SDK hands providers `pulumi.output.Unknown` objects (or, serialized,
    the UNKNOWN sentinel string) for values not known yet."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def normalize(value: Any) -> Any:
    """The canonical form two values are compared in: integral floats become ints (the engine
    sends every number as a float), None entries of objects are dropped (the engine drops None
    keys), and everything else is kept, so a removed key is a change."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    """Semantic JSON equality."""
    return json.dumps(normalize(a), sort_keys=True) == json.dumps(normalize(b), sort_keys=True)


def unmask(live: Any, declared: Any) -> Any:
    """`live` with every masked string replaced by the declared value at the same place.

    Retool answers secrets with a mask; a mask says nothing about the value, so the declared one
    stands. Lists are matched by position, or by `environment_id` when items carry one."""
    if isinstance(live, str) and live == MASK:
        return declared
    if isinstance(live, dict):
        old = declared if isinstance(declared, dict) else {}
        return {k: unmask(v, old.get(k)) for k, v in live.items()}
    if isinstance(live, list):
        olds = declared if isinstance(declared, list) else []
        by_env = {o.get("environment_id"): o for o in olds if isinstance(o, dict) and "environment_id" in o}
        out = []
        for i, item in enumerate(live):
            if isinstance(item, dict) and "environment_id" in item:
                out.append(unmask(item, by_env.get(item["environment_id"])))
            else:
                out.append(unmask(item, olds[i] if i < len(olds) else None))
        return out
    return live


def fingerprint(value: Any) -> str:
    """A short digest of a server-side (encrypted) form of a secret, safe to keep in state."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def drop_none(data: dict[str, Any], keep: Iterable[str] = ()) -> dict[str, Any]:
    keep = set(keep)
    return {k: v for k, v in data.items() if v is not None or k in keep}
