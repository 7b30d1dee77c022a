"""Every place where the emulator follows production Retool rather than the bundled spec.

Each entry is one sentence. Entries with a `patch` also adjust the schemas the strict
response validator uses, so that the documented divergence does not count as a violation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FOLDER_ID_PATTERN = "^(app|workflow|resource|agent|library)_([0-9]\\d*)$"
FOLDER_ID_PATTERN_PROD = "^(app|workflow|resource|agent|library|file)_([0-9]\\d*)$"
FOLDER_TYPES = ["app", "workflow", "resource", "agent", "library"]


@dataclass(frozen=True)
class Divergence:
    """One documented difference between production Retool and the spec."""

    key: str
    description: str
    # Applied to a deep copy of the spec before response schemas are compiled.
    patch: Callable[[dict[str, Any]], None] | None = None
    # Also applied before request schemas are compiled (production accepts it too).
    applies_to_requests: bool = False


def _walk(node: Any, fn: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, dict):
        fn(node)
        for v in node.values():
            _walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            _walk(v, fn)


def _folder_file_ids(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        if node.get("pattern") == FOLDER_ID_PATTERN:
            node["pattern"] = FOLDER_ID_PATTERN_PROD

    _walk(spec["paths"], fix)


def _folder_file_type(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        if node.get("enum") == FOLDER_TYPES:
            node["enum"] = [*FOLDER_TYPES, "file"]

    for path, ops in spec["paths"].items():
        if path.startswith("/folders"):
            for op in ops.values():
                if isinstance(op, dict):
                    _walk(op.get("responses", {}), fix)


def _space_ids(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(props.get("id"), dict) and "domain" in props:
            props["id"] = {"type": "string", "pattern": "^org_[0-9a-f]{32}$"}
            props["domain"] = {"type": "string"}

    for path, ops in spec["paths"].items():
        if path.startswith("/spaces"):
            for op in ops.values():
                if isinstance(op, dict):
                    _walk(op.get("responses", {}), fix)


def _resource_configuration_envelope(spec: dict[str, Any]) -> None:
    resp = spec["paths"]["/resource_configurations/{configurationId}"]["get"]["responses"]["200"]
    media = resp["content"]["application/json"]
    inner = copy.deepcopy(media["schema"])
    media["schema"] = {
        "type": "object",
        "properties": {"success": {"type": "boolean", "enum": [True]}, "data": inner},
        "required": ["success", "data"],
    }


def _both(
    first: Callable[[dict[str, Any]], None], second: Callable[[dict[str, Any]], None], spec: dict[str, Any]
) -> None:
    first(spec)
    second(spec)


DIVERGENCES: list[Divergence] = [
    Divergence(
        "folder-file-type",
        "Folder lists contain a production-only `file` folder type (root folder id `file_<n>`), "
        "outside the spec's folder_type enum and folder id pattern.",
        patch=lambda s: _both(_folder_file_ids, _folder_file_type, s),
    ),
    Divergence(
        "folder-file-id-requests",
        "Folder ids of the form `file_<n>` are accepted wherever the spec takes a folder id.",
        patch=_folder_file_ids,
        applies_to_requests=True,
    ),
    Divergence(
        "space-id-format",
        "Space ids are `org_<32 hex>`, not the UUIDs the spec declares (and a new space's "
        "domain may be empty, see space-create-domain).",
        patch=_space_ids,
    ),
    Divergence(
        "resource-configuration-envelope",
        "GET /resource_configurations/{id} wraps the configuration in the usual "
        "{success, data} envelope although the spec documents a bare object.",
        patch=_resource_configuration_envelope,
    ),
    Divergence(
        "folder-ids-shared-counter",
        "App, workflow and file folders share one id sequence while resource folders have "
        "their own, so ids skip numbers within a type (app_1, app_2, app_3, workflow_4, ...).",
    ),
    Divergence(
        "folder-patch-move-response",
        "A folder PATCH that only changes parent_folder_id answers with the folder as it was "
        "before the move; the move is visible on the next read.",
    ),
    Divergence(
        "space-create-domain",
        "POST /spaces answers with an empty `domain` while the space is provisioned; later "
        "reads return the requested domain.",
    ),
    Divergence(
        "permissions-grant-response",
        "POST /permissions/grant and /revoke answer with all of the subject's remaining grants "
        "on objects of the same type, plus total_count/next_token/has_more (omitted for screens).",
    ),
    Divergence(
        "configuration-variable-secret-masking",
        "Values of `secret: true` configuration variables read back (even in the create "
        "response) as `---encrypted-on-server---`.",
    ),
    Divergence(
        "source-control-credential-masking",
        "Source control credentials (private keys, tokens, passwords, access keys) read back as "
        "`---encrypted-on-server---`.",
    ),
    Divergence(
        "sso-secret-encryption",
        "SSO client secrets read back encrypted, not as sent.",
    ),
    Divergence(
        "resource-options-hidden",
        "Resource `options` are accepted on create but never returned by the resources endpoints.",
    ),
    Divergence(
        "resource-configuration-defaults",
        "The server adds `authentication_options: {authentication_type: none}` to resource "
        "configuration options that do not set it.",
    ),
    Divergence(
        "user-delete-disables",
        "DELETE /users/{id} disables the user (active=false) instead of removing it.",
    ),
    Divergence(
        "user-email-unique",
        "assumption: a second user with an email address already in use (compared "
        'case-insensitively, disabled users included) is a 409 `A user with email "<email>" already '
        "exists`, on create and on a PATCH of `email`; no recording tries it and the spec declares "
        "only 200 for POST /users, but an address is a Retool user's sign-in identity.",
    ),
    Divergence(
        "configuration-variable-unknown-environment",
        "A configuration variable value naming an unknown environment is a 400 "
        '`Environment with id "<id>" does not exist`.',
    ),
]


def response_spec(patched: dict[str, Any]) -> dict[str, Any]:
    """Apply every divergence patch in place (for response validation); returns the spec."""
    for d in DIVERGENCES:
        if d.patch is not None:
            d.patch(patched)
    return patched


def request_spec(patched: dict[str, Any]) -> dict[str, Any]:
    """Apply the request-side divergence patches in place; returns the spec."""
    for d in DIVERGENCES:
        if d.patch is not None and d.applies_to_requests:
            d.patch(patched)
    return patched


def _drop_required(path: str, method: str, field: str) -> Callable[[dict[str, Any]], None]:
    def patch(spec: dict[str, Any]) -> None:
        def fix(node: dict[str, Any]) -> None:
            req = node.get("required")
            props = node.get("properties")
            if isinstance(req, list) and field in req and isinstance(props, dict) and field in props:
                node["required"] = [r for r in req if r != field]

        for p, ops in spec["paths"].items():
            if p.startswith(path):
                for m, op in ops.items():
                    if method in ("*", m) and isinstance(op, dict):
                        _walk(op.get("responses", {}), fix)

    return patch


DIVERGENCES += [
    Divergence(
        "configuration-variable-default-value",
        "Configuration variables without a default value omit `default_value` instead of "
        "returning the null the spec requires.",
        patch=_drop_required("/configuration_variables", "*", "default_value"),
    ),
    Divergence(
        "resource-folder-id-omitted",
        "Resources outside any folder omit `folder_id` (also inside resource configurations) "
        "instead of returning the null the spec requires.",
        patch=lambda s: (
            (
                _drop_required("/resources", "*", "folder_id")(s),
                _drop_required("/resource_configurations", "*", "folder_id")(s),
            )
            and None
        ),
    ),
]


def _bitbucket_type_optional(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        props = node.get("properties")
        if (
            isinstance(props, dict)
            and "app_password" in props
            and props.get("type", {}).get("enum") == ["AppPassword"]
            and "type" in node.get("required", [])
        ):
            node["required"] = [r for r in node["required"] if r != "type"]

    _walk(spec["paths"].get("/source_control/config", {}), fix)


DIVERGENCES.append(
    Divergence(
        "bitbucket-app-password-type",
        "Bitbucket app-password source control configs are accepted without `type: AppPassword` "
        "and read back without it.",
        patch=_bitbucket_type_optional,
        applies_to_requests=True,
    )
)


def _user_name_length(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/users"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    for name in ("first_name", "last_name"):
        body["properties"][name]["maxLength"] = 36


DIVERGENCES += [
    Divergence(
        "user-name-length",
        "User first and last names longer than 36 characters (the limit the spec's user schema "
        "declares) are rejected with a 400 on create and update, not only absent from reads.",
        patch=_user_name_length,
        applies_to_requests=True,
    ),
    Divergence(
        "undeclared-error-statuses",
        "Errors the spec does not declare for an operation (400 for an invalid request, 404 for an "
        "unknown id, 409, 422) are answered with the usual {success: false, message} envelope, as "
        "production does (e.g. the recorded 400 from PUT /configuration_variables/{id}).",
    ),
    Divergence(
        "patch-values-validated",
        "JSON Patch values are checked against the field's schema in the object the API returns "
        "(400 naming the field), so a PATCH cannot store a value that reads back invalid.",
    ),
]


def _nullable_enums(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        enum = node.get("enum")
        if node.get("nullable") is True and isinstance(enum, list) and None not in enum:
            node["enum"] = [*enum, None]

    _walk(spec["paths"], fix)


DIVERGENCES.append(
    Divergence(
        "nullable-enum-null",
        "A `nullable: true` enum accepts and returns null although null is not listed among its "
        "values (OpenAPI 3.0.3 would require it there); the spec's nullable enums mean exactly that.",
        patch=_nullable_enums,
        applies_to_requests=True,
    )
)


# Opt-in answer shapes (`Emulator.set_faults(...)`, see faults.Faults): off by default, so none of
# them changes what the emulator claims about production. Each says what is known of production.
DIVERGENCES += [
    Divergence(
        "shape-reverse-arrays",
        "Opt-in `reverse_arrays`: every array of a GET's data reversed. Robustness mode, not a claim "
        "about production: the recordings (TestAccConfigurationVariable*.yaml) answer in the order "
        "sent, but nothing in the spec promises an order, and the provider must not diff on one.",
    ),
    Divergence(
        "shape-null-for-missing",
        "Opt-in `null_for_missing`: a GET of something missing answers 200 `data: null` instead of "
        "404. Robustness mode, not a claim about production (no recording reads a missing object or "
        "an unset singleton); the engine reads an empty singleton answer as `none`.",
    ),
    Divergence(
        "shape-bare-404",
        "Opt-in `bare_404`: 404s with an empty body, as a proxy or load balancer in front of Retool "
        "may send. Robustness mode, not a claim about production (no recording holds a 404).",
    ),
    Divergence(
        "shape-stale-next-token",
        "Opt-in `stale_next_token`: a last page (`has_more: false`) still carries a next_token. "
        "Robustness mode, not a claim about production: every recorded listing's last page has "
        "`next_token: null` (e.g. TestAccFoldersDataSource.yaml); clients must stop on has_more.",
    ),
]
