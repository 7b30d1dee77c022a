"""Handler plumbing: the request object, errors, the route registry and envelopes."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from retool_pulumi.emulator.store import Record, Store, now, public
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


Handler = Callable[[Store, Request], Result]
REGISTRY: dict[str, Handler] = {}


class ApiError(Exception):
    """An error answered as `{"success": false, "message": ...}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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


def not_found(message: str) -> ApiError:
    """A 404 ApiError."""
    return ApiError(404, message)


def get_or_404(records: Mapping[Any, Record], key: Any, what: str, shown: Any = None) -> Record:
    """`records[key]`, else 404 `<what> with id "<key>" not found`.

    Numeric collections pass the id as requested in `shown`; it is then named without quotes.
    """
    record = records.get(key)
    if record is None:
        label = f'"{key}"' if shown is None else shown
        raise not_found(f"{what} with id {label} not found")
    return record


def int_key(raw: Any) -> int | None:
    """The key of a numeric collection for a requested id; None (so not found) if not a number."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def check_unique(
    records: Iterable[Record], field: str, value: Any, message: str, exclude: Any = None, status: int = 409
) -> None:
    """Raise `status` with `message` if a record other than `exclude` has `field` == `value`."""
    for r in records:
        if r["id"] != exclude and r[field] == value:
            raise ApiError(status, message)


def stamps() -> dict[str, str]:
    """`created_at` and `updated_at` of a new record (the same instant)."""
    ts = now()
    return {"created_at": ts, "updated_at": ts}


def touch(record: Record, changes: Mapping[str, Any] | None = None) -> None:
    """Apply `changes` (if any) to a record and stamp its `updated_at`."""
    if changes:
        record.update(changes)
    record["updated_at"] = now()


def patch_changes(record: Record, req: Request, allowed: Iterable[str], what: str) -> dict[str, Any]:
    """`apply_operations` for a PATCH request's `operations`, checked against its schema."""
    return apply_operations(record, req.body["operations"], allowed, what, checks=req.field_checks)


def _last_param(template: str) -> str:
    return template.rsplit("{", 1)[1].rstrip("}")


def list_route(
    template: str, collection: str, render: Callable[[Record], Any] = public, paginated: bool = True
) -> Handler:
    """Register `GET template`: every record of the store's `collection`."""

    def handler(store: Store, req: Request) -> Result:
        with store.lock:
            return listing(req, getattr(store, collection).values(), render, paginated)

    return route("GET", template)(handler)


def read_route(
    template: str, get: Callable[[Store, str], Record], render: Callable[[Record], Any] = public
) -> Handler:
    """Register `GET template`: the record `get` finds for the template's last path parameter."""
    param = _last_param(template)

    def handler(store: Store, req: Request) -> Result:
        with store.lock:
            return ok(render(get(store, req.params[param])))

    return route("GET", template)(handler)


def delete_route(
    template: str, collection: str, get: Callable[[Store, str], Record], object_type: str | None = None
) -> Handler:
    """Register `DELETE template`: remove the record `get` finds from the store's `collection`.

    With `object_type`, the permissions granted on the record go with it.
    """
    param = _last_param(template)

    def handler(store: Store, req: Request) -> Result:
        from retool_pulumi.emulator.handlers.permissions import drop_object

        with store.lock:
            record = get(store, req.params[param])
            del getattr(store, collection)[record["id"]]
            if object_type is not None:
                drop_object(store, object_type, record["id"])
            return no_content()

    return route("DELETE", template)(handler)


def attribute_routes(template: str, get: Callable[[Store, str], Record]) -> tuple[Handler, Handler]:
    """Register setting (POST) and removing (DELETE) one `user_attributes` value in a record's metadata."""
    param = _last_param(template)

    def set_attribute(store: Store, req: Request) -> Result:
        with store.lock:
            record = get(store, req.params[param])
            record["metadata"][req.body["name"]] = req.body["value"]
            return ok({"metadata": dict(record["metadata"])})

    def delete_attribute(store: Store, req: Request) -> Result:
        with store.lock:
            record = get(store, req.params[param])
            record["metadata"].pop(req.params["attributeName"], None)
            return ok({"metadata": dict(record["metadata"])})

    return (
        route("POST", f"{template}/user_attributes")(set_attribute),
        route("DELETE", f"{template}/user_attributes/{{attributeName}}")(delete_attribute),
    )


def listing(
    request: Request,
    records: Iterable[Record],
    render: Callable[[Record], Any] = public,
    paginated: bool = True,
) -> Result:
    """A list envelope; with `limit` it is one page and `next_token` is an opaque cursor."""
    items = list(records)
    if not paginated:
        return 200, {"success": True, "data": [render(r) for r in items]}
    total = len(items)
    limit = request.query.get("limit")
    start = 0
    token = request.query.get("next_token")
    if token:
        start = decode_token(token)
    if limit is None:
        page = items[start:]
        more = False
    else:
        page = items[start : start + int(limit)]
        more = start + int(limit) < total
    next_token = encode_token(start + len(page)) if more else None
    return 200, {
        "success": True,
        "data": [render(r) for r in page],
        "total_count": total,
        "next_token": next_token,
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
