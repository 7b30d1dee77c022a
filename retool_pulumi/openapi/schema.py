"""A small JSON-Schema validator for the subset of OpenAPI 3.0 the Retool spec uses.

Schemas are compiled once into closures, so validating a request costs a few
function calls per field instead of a walk over the schema dictionary.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from typing import Any

# A checker returns None when the value is valid, else "location: problem".
Checker = Callable[[Any, str], "str | None"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):?(\d{2}))?$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")
_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "uuid": (_UUID, "must be a UUID"),
    "date-time": (_DATE_TIME, "must be an ISO 8601 date-time"),
    "email": (_EMAIL, "must be an email address"),
    "uri": (_URI, "must be a URI"),
}
_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
}


def _date_time_in_range(m: re.Match[str]) -> bool:
    """The fields of a `_DATE_TIME` match are a real calendar date and clock time (RFC 3339)."""
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 60:  # 60: leap second
        return False
    if not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return False
    off_h, off_m = m.group(9), m.group(10)
    return off_h is None or (int(off_h) <= 23 and int(off_m) <= 59)


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def _join(loc: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{loc}[{key}]"
    return f"{loc}.{key}" if loc else key


def _fmt_enum(values: list[Any]) -> str:
    return ", ".join(
        "null" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in values
    )


def compile_schema(schema: Any) -> Checker:
    """Compile an OpenAPI schema object into a checker function."""
    if not isinstance(schema, dict) or not schema:
        return lambda value, loc: None
    checks: list[Checker] = []
    nullable = bool(schema.get("nullable"))
    kind = schema.get("type")

    if isinstance(kind, str):

        def check_type(value: Any, loc: str, kind: str = kind) -> str | None:
            if not _type_ok(kind, value):
                return f"{loc}: must be {_TYPE_NAMES.get(kind, kind)}"
            return None

        checks.append(check_type)

    if "enum" in schema:
        allowed = list(schema["enum"])
        text = _fmt_enum([v for v in allowed if v is not None])

        def check_enum(value: Any, loc: str) -> str | None:
            if any(value == a and isinstance(value, bool) == isinstance(a, bool) for a in allowed):
                return None
            return f"{loc}: must be one of {text}"

        checks.append(check_enum)

    _add_string_checks(schema, checks)
    _add_number_checks(schema, checks)
    _add_object_checks(schema, checks)
    _add_array_checks(schema, checks)
    _add_combinators(schema, checks)

    combined = any(kw in schema for kw in ("allOf", "oneOf", "anyOf"))
    # OpenAPI 3.0: null is valid for nullable schemas and for untyped, enum-free ones without
    # combinators; an untyped oneOf/anyOf/allOf accepts null only if its branches do.
    null_ok = nullable or (kind is None and not combined and None in schema.get("enum", [None]))
    null_via_branches = not nullable and kind is None and combined and "enum" not in schema

    def check(value: Any, loc: str) -> str | None:
        if value is None and not null_via_branches:
            return None if null_ok else f"{loc}: must not be null"
        for c in checks:
            err = c(value, loc)
            if err:
                return err
        return None

    return check


def _add_string_checks(schema: dict[str, Any], checks: list[Checker]) -> None:
    if "pattern" in schema:
        rx = re.compile(schema["pattern"])
        pat = schema["pattern"]

        def check_pattern(value: Any, loc: str) -> str | None:
            if isinstance(value, str) and not rx.search(value):
                return f"{loc}: must match pattern {pat}"
            return None

        checks.append(check_pattern)
    if "minLength" in schema or "maxLength" in schema:
        lo = schema.get("minLength", 0)
        hi = schema.get("maxLength")

        def check_len(value: Any, loc: str) -> str | None:
            if isinstance(value, str):
                if len(value) < lo:
                    return f"{loc}: must be at least {lo} characters long"
                if hi is not None and len(value) > hi:
                    return f"{loc}: must be at most {hi} characters long"
            return None

        checks.append(check_len)
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        rx_f, msg = _FORMATS[fmt]

        def check_format(value: Any, loc: str) -> str | None:
            if isinstance(value, str):
                m = rx_f.match(value)
                if m is None or (fmt == "date-time" and not _date_time_in_range(m)):
                    return f"{loc}: {msg}"
            return None

        checks.append(check_format)


def _add_number_checks(schema: dict[str, Any], checks: list[Checker]) -> None:
    if "minimum" not in schema and "maximum" not in schema:
        return
    lo = schema.get("minimum")
    hi = schema.get("maximum")

    def check_range(value: Any, loc: str) -> str | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if lo is not None and value < lo:
                return f"{loc}: must be >= {lo}"
            if hi is not None and value > hi:
                return f"{loc}: must be <= {hi}"
        return None

    checks.append(check_range)


def _add_object_checks(schema: dict[str, Any], checks: list[Checker]) -> None:
    props = schema.get("properties")
    required = list(schema.get("required") or [])
    extra = schema.get("additionalProperties")
    if props is None and not required and extra is None:
        return
    compiled = {k: compile_schema(v) for k, v in (props or {}).items()}
    extra_check = compile_schema(extra) if isinstance(extra, dict) else None
    forbid_extra = extra is False

    def check_object(value: Any, loc: str) -> str | None:
        if not isinstance(value, dict):
            return None
        for name in required:
            if name not in value:
                return f"{_join(loc, name)}: is required"
        for key, item in value.items():
            sub = compiled.get(key)
            if sub is not None:
                err = sub(item, _join(loc, key))
                if err:
                    return err
            elif forbid_extra:
                return f"{_join(loc, key)}: is not an allowed property"
            elif extra_check is not None:
                err = extra_check(item, _join(loc, key))
                if err:
                    return err
        return None

    checks.append(check_object)


def _add_array_checks(schema: dict[str, Any], checks: list[Checker]) -> None:
    items = schema.get("items")
    lo = schema.get("minItems")
    hi = schema.get("maxItems")
    if items is None and lo is None and hi is None:
        return
    item_check = compile_schema(items) if items is not None else None

    def check_array(value: Any, loc: str) -> str | None:
        if not isinstance(value, list):
            return None
        if lo is not None and len(value) < lo:
            return f"{loc}: must contain at least {lo} items"
        if hi is not None and len(value) > hi:
            return f"{loc}: must contain at most {hi} items"
        if item_check is not None:
            for i, item in enumerate(value):
                err = item_check(item, _join(loc, i))
                if err:
                    return err
        return None

    checks.append(check_array)


def _discriminators(branches: list[Any]) -> list[tuple[str, Any]] | None:
    """Find a property whose single-valued enum tells the branches apart (e.g. `type`)."""
    if not branches or not all(isinstance(b, dict) for b in branches):
        return None
    candidates: set[str] | None = None
    for b in branches:
        required = set(b.get("required") or ())
        names = {
            k
            for k, v in (b.get("properties") or {}).items()
            if k in required
            and isinstance(v, dict)
            and isinstance(v.get("enum"), list)
            and len(v["enum"]) == 1
        }
        candidates = names if candidates is None else candidates & names
    for name in sorted(candidates or ()):
        values = [b["properties"][name]["enum"][0] for b in branches]
        if len(set(map(str, values))) == len(values):
            return [(name, v) for v in values]
    return None


def _add_combinators(schema: dict[str, Any], checks: list[Checker]) -> None:
    for kw in ("allOf",):
        if kw in schema:
            subs = [compile_schema(s) for s in schema[kw]]

            def check_all(value: Any, loc: str, subs: list[Checker] = subs) -> str | None:
                for s in subs:
                    err = s(value, loc)
                    if err:
                        return err
                return None

            checks.append(check_all)
    for kw in ("oneOf", "anyOf"):
        if kw not in schema:
            continue
        branches = list(schema[kw])
        subs = [compile_schema(s) for s in branches]
        disc = _discriminators(branches)

        # oneOf is checked like anyOf: the spec's oneOf branches overlap in places
        # (optional fields only), so "exactly one" would reject valid payloads.
        def check_any(
            value: Any,
            loc: str,
            subs: list[Checker] = subs,
            disc: list[tuple[str, Any]] | None = disc,
        ) -> str | None:
            if disc is not None and isinstance(value, dict):
                name = disc[0][0]
                if name not in value:
                    return f"{_join(loc, name)}: is required"
                for (_, expected), sub in zip(disc, subs, strict=True):
                    if value[name] == expected:
                        return sub(value, loc)
                return f"{_join(loc, name)}: must be one of {_fmt_enum([v for _, v in disc])}"
            first: str | None = None
            for s in subs:
                err = s(value, loc)
                if err is None:
                    return None
                first = first or err
            if len(subs) == 1:
                return first
            return f"{loc or 'value'}: does not match any allowed schema ({first})"

        checks.append(check_any)
