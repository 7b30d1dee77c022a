"""The HTTP side of every handler: the request as handlers see it, the route registry, answers
(envelopes, pages with opaque cursors) and JSON Patch operations turned into changes.

A handler parses its request, calls a backend (`retool_pulumi.emulator.backends`) and answers;
the API calls it with the store's lock held, so a request is atomic.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from retool_pulumi.emulator.backends import Backends
from retool_pulumi.emulator.backends.base import ApiError, Collection
from retool_pulumi.emulator.store import Record
from retool_pulumi.emulator.validation import Checker

Result = tuple[int, Any]


@dataclass
class Request:
    """A validated API request as handlers see it (path relative to /api/v2)."""

    method: str
    path: str
    template: str = ""
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    # Checkers for the fields of the object the operation returns (see `apply_operations`).
    field_checks: Mapping[str, Checker] = field(default_factory=dict)


Handler = Callable[[Backends, Request], Result]
REGISTRY: dict[str, Handler] = {}
# Picks a handler's backend out of the organisation's (`lambda b: b.folders`).
BackendOf = Callable[[Backends], Collection]


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Register a handler for a spec operation (`template` exactly as in the spec)."""

    def register(fn: Handler) -> Handler:
        REGISTRY[f"{method} {template}"] = fn
        return fn

    return register


def ok(data: Any, status: int = 200) -> Result:
    """The success envelope."""
    return status, {"success": True, "data": data}


def no_content() -> Result:
    """204 with an empty body."""
    return 204, None


def last_param(template: str) -> str:
    """The name of a template's last path parameter (`/folders/{folderId}`, `/tokens/:id`), which
    is its last segment."""
    return template.rsplit("/", 1)[1].strip("{}").lstrip(":")


def list_route(template: str, backend_of: BackendOf, paginated: bool = True) -> Handler:
    """Register `GET template`: every record of the backend, rendered."""

    def handler(b: Backends, req: Request) -> Result:
        backend = backend_of(b)
        return listing(req, backend.all(), backend.render, paginated)

    return route("GET", template)(handler)


def read_route(template: str, backend_of: BackendOf) -> Handler:
    """Register `GET template`: the record the template's last path parameter names."""
    param = last_param(template)

    def handler(b: Backends, req: Request) -> Result:
        backend = backend_of(b)
        return ok(backend.render(backend.get(req.params[param])))

    return route("GET", template)(handler)


def delete_route(template: str, backend_of: BackendOf) -> Handler:
    """Register `DELETE template`: delete the record the template's last path parameter names."""
    param = last_param(template)

    def handler(b: Backends, req: Request) -> Result:
        backend_of(b).delete(req.params[param])
        return no_content()

    return route("DELETE", template)(handler)


def listing(
    request: Request,
    records: Iterable[Record],
    render: Callable[[Record], Any],
    paginated: bool = True,
) -> Result:
    """A list envelope; with `limit` it is one page and `next_token` is an opaque cursor."""
    items = list(records)
    if not paginated:
        return 200, {"success": True, "data": [render(r) for r in items]}
    limit = request.query.get("limit")
    return page(items, request.query.get("next_token"), None if limit is None else int(limit), render)


def page(
    items: list[Any], token: str | None, size: int | None, render: Callable[[Any], Any] = lambda r: r
) -> Result:
    """The page of `size` items (all the rest without one) from the cursor `token`, in the
    envelope with total_count, next_token and has_more."""
    start = decode_token(token) if token else 0
    end = len(items) if size is None else start + size
    chosen = items[start:end]
    more = end < len(items)
    return 200, {
        "success": True,
        "data": [render(r) for r in chosen],
        "total_count": len(items),
        "next_token": encode_token(start + len(chosen)) if more else None,
        "has_more": more,
    }


def encode_token(offset: int) -> str:
    """An opaque page cursor for `offset`."""
    raw = json.dumps({"offset": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> int:
    """The offset of a cursor from `encode_token` (400 for anything else)."""
    try:
        padded = token + "=" * (-len(token) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded.encode()))["offset"]
        if not isinstance(offset, int) or offset < 0:
            raise ValueError(offset)
        return offset
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        raise ApiError(400, "Invalid next_token") from None


def patch_changes(record: Record, req: Request, allowed: Iterable[str], what: str) -> dict[str, Any]:
    """`apply_operations` for a PATCH request's `operations`, checked against its schema."""
    return apply_operations(record, req.body["operations"], allowed, what, checks=req.field_checks)


def apply_operations(
    record: Record,
    operations: list[dict[str, Any]],
    allowed: Iterable[str],
    what: str,
    checks: Mapping[str, Checker] | None = None,
) -> dict[str, Any]:
    """Apply RFC 6902 replace/add/remove operations on top-level fields; returns the changes.

    With `checks` (`Request.field_checks`), a new value must fit the field's schema in the
    object the API returns, else 400 naming the field. Removals (None) are left to the caller.
    """
    allowed_set = set(allowed)
    changes: dict[str, Any] = {}
    for op in operations:
        path = str(op.get("path", ""))
        name = path.lstrip("/").split("/", 1)[0]
        if name not in allowed_set:
            raise ApiError(400, f"Cannot update field {path} of {what}")
        kind = op.get("op")
        sub = path.lstrip("/").split("/", 1)[1] if "/" in path.lstrip("/") else None
        if kind in ("replace", "add"):
            if sub is not None:
                current = changes.get(name, copy_value(record.get(name)))
                if not isinstance(current, dict):
                    raise ApiError(400, f"Cannot update field {path} of {what}")
                current[sub] = op.get("value")
                changes[name] = current
            else:
                changes[name] = op.get("value")
        elif kind == "remove":
            if sub is not None:
                current = changes.get(name, copy_value(record.get(name)))
                if isinstance(current, dict):
                    current.pop(sub, None)
                changes[name] = current
            else:
                changes[name] = None
        elif kind == "test":
            if record.get(name) != op.get("value"):
                raise ApiError(400, f"Test operation failed for {path}")
        else:
            raise ApiError(400, f"Unsupported operation {kind} for {what}")
    for name, value in changes.items():
        check = (checks or {}).get(name)
        err = check(value, name) if check is not None and value is not None else None
        if err:
            raise ApiError(400, err)
    return changes


def copy_value(value: Any) -> Any:
    """Deep copy of a JSON value."""
    return json.loads(json.dumps(value)) if value is not None else None
