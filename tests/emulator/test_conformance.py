"""Property-based conformance of the emulator with the bundled OpenAPI spec (schemathesis).

Every operation of the spec is exercised against a live emulator in strict-response mode
(a response that violates the spec becomes a 500, so `not_a_server_error` catches it), with
both valid (positive) and invalid (negative) generated requests, and these checks:

- no 5xx, apart from the 501 that the operations the emulator does not implement answer;
- a response whose status the spec declares conforms to its schema (and content type);
- a 2xx status is one the spec declares for the operation;
- every error (>= 400) is the Retool envelope `{"success": false, "message": "..."}`, with a
  status from a fixed set (production answers undeclared 400/404/409/422 the same way: see the
  `undeclared-error-statuses` divergence);
- a schema-violating request is rejected with a 4xx, and a 400 names the field it blames.

The schemathesis schema is the spec with the documented divergences applied
(`divergences.response_spec`), i.e. exactly what the emulator validates against. Generation
is derandomized and bounded (`MAX_EXAMPLES` per operation and mode) so the run is repeatable.
Path parameters are steered towards ids that exist (seeded ones and ids returned by earlier
successful calls) and JSON Patch paths towards real fields, so the success paths are reached
and not only the 404s.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

import jsonschema_rs  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.parameters import ParameterLocation  # noqa: E402
from schemathesis.specs.openapi import checks as openapi_checks  # noqa: E402
from schemathesis.specs.openapi.converter import to_json_schema  # noqa: E402

from retool_pulumi.emulator import Emulator  # noqa: E402
from retool_pulumi.emulator.divergences import response_spec  # noqa: E402
from retool_pulumi.emulator.handlers.base import REGISTRY  # noqa: E402
from retool_pulumi.emulator.spec import SPEC_PATH  # noqa: E402

MAX_EXAMPLES = 10
ERROR_STATUSES = {400, 401, 403, 404, 409, 422}

RAW_SPEC: dict[str, Any] = response_spec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
schema = schemathesis.openapi.from_dict(RAW_SPEC)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
    # The emulator authenticates every call with the fixture's token (401s have their own tests).
    with_security_parameters=False,
    # Unknown query parameters are ignored, as by production (OpenAPI does not forbid them).
    allow_extra_parameters=False,
)

# Which id pool a path parameter draws from (default: the template's first segment).
PARAM_POOLS = {
    "userId": "users",
    "groupId": "groups",
    "folderId": "folders",
    "spaceId": "spaces",
    "environmentId": "environments",
    "resourceId": "resources",
    "configurationId": "resource_configurations",
    "appId": "apps",
    "appUuid": "apps",
    "workflowId": "workflows",
    "userInviteId": "user_invites",
    "roleId": "role_permissions",
    "roleGrantId": "role_permissions",
    "libraryId": "custom_component_libraries",
    "accessRequestId": "access_requests",
    "configId": "observability",
    "attributeName": "user_attributes",
}
POOLS: dict[str, list[Any]] = defaultdict(list)
STATS: dict[str, Counter[int]] = defaultdict(Counter)


def _key(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _pool_for(template: str, param: str) -> list[Any]:
    return POOLS[PARAM_POOLS.get(param, template.strip("/").split("/")[0])]


def _remember(pool: str, value: Any) -> None:
    if isinstance(value, (str, int)) and not isinstance(value, bool) and value not in POOLS[pool]:
        POOLS[pool].append(value)


def _seed_pools(em: Emulator) -> None:
    POOLS.clear()
    for name, records in em.store.dump()["collections"].items():
        pool = {"observability_configs": "observability", "roles": "role_permissions"}.get(name, name)
        for record in records:
            _remember(pool, record.get("id"))
            if name == "user_attributes":
                _remember(pool, record.get("name"))


def _pick(seed: Any, original: Any, known: list[Any]) -> Any:
    """A deterministic choice: an existing id two times in three, else the generated value."""
    n = zlib.crc32(repr(seed).encode())
    if not known or n % 3 == 0:
        return original
    return known[n % len(known)]


def _patch_fields(operation: Any) -> list[str]:
    responses = RAW_SPEC["paths"][operation.path][operation.method.lower()].get("responses", {})
    for code in ("200", "201"):
        media = (responses.get(code) or {}).get("content", {}).get("application/json", {})
        data = (media.get("schema") or {}).get("properties", {}).get("data", {})
        if isinstance(data, dict) and data.get("properties"):
            return sorted(data["properties"])
    return []


def _is_negative(case: Any) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE


@cache
def _body_validator(path: str, method: str) -> Any:
    """An independent (jsonschema-rs) validator for the operation's JSON request body."""
    body = RAW_SPEC["paths"][path][method].get("requestBody") or {}
    media = body.get("content", {}).get("application/json")
    if not media or "schema" not in media:
        return None
    return jsonschema_rs.Draft4Validator(to_json_schema(media["schema"], "nullable"))


def _blamed_location(case: Any) -> str | None:
    """For a negative case: the location a 400 must name, when it can be told independently."""
    meta = case.meta
    data = meta.phase.data
    where = getattr(data, "parameter_location", None)
    if where == ParameterLocation.BODY and case.media_type == "application/json":
        validator = _body_validator(case.operation.path, case.operation.method.lower())
        body = case.body if isinstance(case.body, (dict, list, str, int, float, bool)) else None
        if validator is not None and case.body is not None and not validator.is_valid(body):
            return "body"
        return None
    if where in (ParameterLocation.QUERY, ParameterLocation.PATH) and getattr(data, "parameter", None):
        return str(data.parameter)
    return None


def _negation_lost_on_wire(case: Any) -> bool:
    """A negative case whose only violation was a path parameter type that vanishes in the URL.

    E.g. `groupId: 3` (an integer where the spec says a `^\\d+$` string) is sent as `/groups/3`,
    which is valid, so accepting it is right (schemathesis reports it as accepted negative data).
    """
    if not _is_negative(case) or not case.path_parameters:
        return False
    if isinstance(case.body, (dict, list, str, int, float, bool)) or case.body is None:
        validator = _body_validator(case.operation.path, case.operation.method.lower())
        if validator is not None and not validator.is_valid(case.body):
            return False
    params = RAW_SPEC["paths"][case.operation.path][case.operation.method.lower()].get("parameters", [])
    declared = {(p["in"], p["name"]): p.get("schema") or {} for p in params}
    sent = [("path", k, v) for k, v in case.path_parameters.items()]
    sent += [("query", k, v) for k, v in (case.query or {}).items()]
    for where, name, value in sent:
        if (where, name) not in declared:
            return False
        schema = declared[(where, name)]
        if not jsonschema_rs.Draft4Validator(to_json_schema(schema, "nullable")).is_valid(
            _as_read(schema, value)
        ):
            return False
    return True


def _as_read(schema: dict[str, Any], value: Any) -> Any:
    """A parameter value as the server reads it back from the URL."""
    text = json.dumps(value) if isinstance(value, bool) else str(value)
    kind = schema.get("type")
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    if kind in ("integer", "number"):
        try:
            return int(text) if kind == "integer" else float(text)
        except ValueError:
            return text
    return text


def _steer(case: Any) -> None:
    """Point valid path parameters at existing ids and JSON Patch paths at real fields.

    Only components generated as valid are changed, so negative cases stay negative.
    """
    if _is_negative(case):
        return
    template = case.operation.path
    if case.path_parameters:
        case.path_parameters = {
            name: _pick((template, name, value), value, _pool_for(template, name))
            for name, value in case.path_parameters.items()
        }
    body = case.body
    if isinstance(body, dict):
        ops = body.get("operations")
        fields = _patch_fields(case.operation)
        if isinstance(ops, list) and fields and all(isinstance(o, dict) for o in ops):
            case.body = {
                **body,
                "operations": [
                    {**o, "path": _pick((template, i, o), o.get("path"), [f"/{f}" for f in fields])}
                    for i, o in enumerate(ops)
                ],
            }


@schema.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Harvest the ids of objects the calls created or listed."""
    STATS[_key(case.operation)][response.status_code] += 1
    if not 200 <= response.status_code < 300 or not response.content:
        return
    try:
        data = json.loads(response.content).get("data")
    except (ValueError, AttributeError):
        return
    pool = case.operation.path.strip("/").split("/")[0]
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            _remember(pool, item.get("id"))
            if pool == "user_attributes":
                _remember(pool, item.get("name"))


@schemathesis.check
def retool_error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """Errors are `{"success": false, "message": ...}` with a status from ERROR_STATUSES."""
    status = response.status_code
    if status < 400:
        return None
    declared = set(RAW_SPEC["paths"][case.operation.path][case.operation.method.lower()]["responses"])
    assert status in ERROR_STATUSES or str(status) in declared, f"unexpected error status {status}"
    body = json.loads(response.content)
    assert body.get("success") is False, f"error without success=false: {body}"
    assert isinstance(body.get("message"), str) and body["message"], f"error without a message: {body}"
    if status == 400 and _is_negative(case):
        # A schema-violating request: the message names what it rejects (`body...`, or the
        # query/path parameter). 400s for valid requests ("System folders cannot be deleted")
        # are semantic and worded like production, so only independently-invalid data counts.
        blamed = _blamed_location(case)
        message = body["message"]
        named = blamed is None or blamed in message or message.startswith(("body", "query.", "path."))
        assert named, f"400 does not name {blamed}: {message}"
    return True


@schemathesis.check
def declared_success_status(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 2xx status is one the spec declares for the operation."""
    status = response.status_code
    if not 200 <= status < 300:
        return None
    declared = RAW_SPEC["paths"][case.operation.path][case.operation.method.lower()]["responses"]
    assert str(status) in declared, f"status {status} is not declared (declared: {sorted(declared)})"
    return True


CHECKS = [
    not_a_server_error,
    openapi_checks.response_schema_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.negative_data_rejection,
    retool_error_envelope,
    declared_success_status,
]


@pytest.fixture(scope="module")
def conformance_emulator() -> Iterator[Emulator]:
    with Emulator(validate_responses=True) as em:
        _seed_pools(em)
        STATS.clear()
        yield em
        violations = em.violations
    # A summary for the log (pytest -s): operations, examples and statuses seen.
    total = sum(sum(c.values()) for c in STATS.values())
    ok = sum(n for c in STATS.values() for s, n in c.items() if s < 300)
    print(f"\nconformance: {len(STATS)} operations, {total} requests, {ok} answered 2xx")
    assert not violations, "emulator responses violated the spec:\n" + "\n".join(violations)


@schema.parametrize()
def test_conformance(case: Any, conformance_emulator: Emulator) -> None:
    em = conformance_emulator
    kwargs: dict[str, Any] = {
        "base_url": em.base_url + "/api/v2",
        "headers": {"Authorization": f"Bearer {em.token}"},
        "timeout": 10,
    }
    _steer(case)
    if _key(case.operation) not in REGISTRY:
        # Documented as unimplemented: a Retool-shaped 501 once the request is valid.
        response = case.call(**kwargs)
        assert response.status_code in {400, 404, 501}, response.status_code
        body = response.json()
        assert body["success"] is False
        if response.status_code == 501:
            assert "not implemented" in body["message"]
        return
    checks = CHECKS
    if _negation_lost_on_wire(case):
        checks = [c for c in CHECKS if c is not openapi_checks.negative_data_rejection]
    case.call_and_validate(**kwargs, checks=checks)
