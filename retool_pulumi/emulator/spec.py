"""The bundled OpenAPI document, compiled once into routes and validators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from retool_pulumi import openapi
from retool_pulumi.emulator.divergences import response_spec
from retool_pulumi.openapi import SPEC_PATH, Checker, compile_schema

__all__ = ["ERROR_CHECK", "SPEC_PATH", "Operation", "Parameter", "load_operations", "match"]
_METHODS = ("get", "post", "put", "patch", "delete")
_PARAM = re.compile(r"\{(\w+)\}|:(\w+)")


@dataclass
class Parameter:
    """One path or query parameter of an operation."""

    name: str
    location: str
    required: bool
    kind: str | None
    check: Checker


@dataclass
class Operation:
    """A compiled spec operation: route regex plus request/response validators."""

    method: str
    template: str
    regex: re.Pattern[str]
    literal_segments: int
    params: list[Parameter] = field(default_factory=list)
    body_check: Checker | None = None
    body_required_fields: bool = False
    responses: dict[int, Checker] = field(default_factory=dict)
    # Per top-level field of the success response's `data`, for JSON Patch values.
    field_checks: dict[str, Checker] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """`METHOD /template`, e.g. `GET /folders/{folderId}`."""
        return f"{self.method} {self.template}"


def _regex(template: str) -> tuple[re.Pattern[str], int]:
    parts = [p for p in template.strip("/").split("/") if p]
    out = []
    literal = 0
    for p in parts:
        m = _PARAM.fullmatch(p)
        if m:
            out.append(f"(?P<{m.group(1) or m.group(2)}>[^/]+)")
        else:
            out.append(re.escape(p))
            literal += 1
    return re.compile("^/" + "/".join(out) + "$"), literal


def _json_schema(obj: dict[str, Any] | None) -> Any:
    if not obj:
        return None
    return (obj.get("content") or {}).get("application/json", {}).get("schema")


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"success": {"type": "boolean", "enum": [False]}, "message": {"type": "string"}},
    "required": ["success", "message"],
}
ERROR_CHECK = compile_schema(_ERROR_SCHEMA)


@lru_cache(maxsize=1)
def load_operations() -> tuple[Operation, ...]:
    """Compile the bundled spec (cached: compiled once per process): requests against what
    production accepts (the product's patched spec, the one the provider checks against),
    responses against what production answers (the emulator's divergences on top)."""
    req_spec = openapi.production_document()
    resp_spec = response_spec(openapi.load_document())
    ops: list[Operation] = []
    for template, item in req_spec["paths"].items():
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            regex, literal = _regex(template)
            compiled = Operation(method.upper(), template, regex, literal)
            for prm in op.get("parameters", []):
                schema = prm.get("schema") or {}
                compiled.params.append(
                    Parameter(
                        prm["name"],
                        prm["in"],
                        bool(prm.get("required")),
                        schema.get("type"),
                        compile_schema(schema),
                    )
                )
            body_schema = _json_schema(op.get("requestBody"))
            if body_schema is not None:
                compiled.body_check = compile_schema(body_schema)
                compiled.body_required_fields = bool(body_schema.get("required"))
            resp_op = resp_spec["paths"][template][method]
            for code, resp in resp_op.get("responses", {}).items():
                schema = _json_schema(resp)
                if code.isdigit():
                    compiled.responses[int(code)] = compile_schema(schema) if schema else _no_body
                if code in ("200", "201") and isinstance(schema, dict) and not compiled.field_checks:
                    data = (schema.get("properties") or {}).get("data")
                    if isinstance(data, dict):
                        props = data.get("properties") or {}
                        compiled.field_checks = {k: compile_schema(v) for k, v in props.items()}
            ops.append(compiled)
    # Most literal segments first, so /users/reset2fa/{id} wins over /users/{id}.
    ops.sort(key=lambda o: (-o.literal_segments, o.template))
    return tuple(ops)


def _no_body(value: Any, loc: str) -> str | None:
    return None


def match(method: str, path: str) -> tuple[Operation | None, dict[str, str], bool]:
    """Find the operation for a request: (operation, path params, path known for another method)."""
    norm = "/" + path.strip("/")
    path_known = False
    for op in load_operations():
        m = op.regex.match(norm)
        if m is None:
            continue
        if op.method == method:
            return op, m.groupdict(), True
        path_known = True
    return None, {}, path_known
