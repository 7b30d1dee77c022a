"""What every backend shares: the error the client is answered with, lookups that 404,
uniqueness, time stamps and the `Collection` base (a type kept as records keyed by id)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from ..store import Record, Store, now, public
from . import cascade

# What production answers in place of a secret it stores.
ENCRYPTED = "---encrypted-on-server---"


class ApiError(Exception):
    """A rule the request breaks, answered as `{"success": false, "message": ...}` with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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


class Backend:
    """The rules of one Retool type over the organisation's `Store`, which holds all state.

    Methods expect the caller to hold `store.lock` (the API holds it for each request, so a
    request is atomic) and raise `ApiError` for what production refuses.
    """

    def __init__(self, store: Store) -> None:
        self.store = store


class Collection(Backend):
    """A type kept as records keyed by id in the store's `collection`, named `label` in errors
    (ids are numbers when `numeric_ids`)."""

    collection: ClassVar[str]
    label: ClassVar[str]
    numeric_ids: ClassVar[bool] = False
    # (status, message) for an unknown id where production does not answer the usual 404
    # `<label> with id "<id>" not found`; `{id}` in the message is the requested id.
    unknown: ClassVar[tuple[int, str] | None] = None

    @property
    def records(self) -> dict[Any, Record]:
        """The store's collection of this type, in insertion (listing) order."""
        records: dict[Any, Record] = getattr(self.store, self.collection)
        return records

    def get(self, record_id: Any) -> Record:
        """The record with this id as requested (text for numeric ids too), else a 404 (or `unknown`)."""
        key = int_key(record_id) if self.numeric_ids else record_id
        if key not in self.records and self.unknown is not None:
            status, message = self.unknown
            raise ApiError(status, message.format(id=record_id))
        return get_or_404(self.records, key, self.label, shown=record_id if self.numeric_ids else None)

    def insert(self, record: Record) -> Record:
        """Keep a new record (under its `id`); returns it as the API answers it."""
        self.records[record["id"]] = record
        return self.render(record)

    def all(self) -> list[Record]:
        """Every record, in the order production lists them."""
        return list(self.records.values())

    def render(self, record: Record) -> Record:
        """The record as the API answers it."""
        return public(record)

    def delete(self, record_id: Any) -> None:
        """Remove the record and what goes with it (see `cascade`)."""
        cascade.delete(self.store, self.collection, self.get(record_id)["id"])
