"""What production Retool accepts where it differs from the bundled spec: the request-side patches.

The provider's checks and the emulator's request validation both compile their schemas from
the spec with these patches applied (`retool_pulumi.openapi.production_document`), so neither
can accept what the other rejects. Each entry says where the belief comes from: a recording of
production traffic (`../shared/retool-api/recordings/<file>`), the spec, the source of Retool's
Terraform provider (tryretool/terraform-provider-retool), or an explicit assumption.

Response-side differences (what production answers) live with the emulator, in
`retool_pulumi.emulator.divergences`, which lists these entries too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FOLDER_TYPES = ["app", "workflow", "resource", "agent", "library"]
FOLDER_ID_PATTERN = "^(app|workflow|resource|agent|library)_([0-9]\\d*)$"
FOLDER_ID_PATTERN_PROD = "^(app|workflow|resource|agent|library|file)_([0-9]\\d*)$"
USER_PATCH_PATH_PROD = "^/[A-Za-z_][A-Za-z0-9_]*$"


@dataclass(frozen=True)
class Divergence:
    """One documented difference between production Retool and the spec."""

    key: str
    description: str
    # Where the belief comes from: "recording <file>", "spec", "TF provider <path>", "assumption: ...".
    source: str = ""
    # Applied to a deep copy of the spec before schemas are compiled.
    patch: Callable[[dict[str, Any]], None] | None = None
    # Also applied before request schemas are compiled (production accepts it too).
    applies_to_requests: bool = False


def walk(node: Any, fn: Callable[[dict[str, Any]], None]) -> None:
    """Call `fn` on every object (dict) in `node`, depth first."""
    if isinstance(node, dict):
        fn(node)
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


def _folder_file_ids(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        if node.get("pattern") == FOLDER_ID_PATTERN:
            node["pattern"] = FOLDER_ID_PATTERN_PROD

    walk(spec["paths"], fix)


def _folder_file_type(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        if node.get("enum") == FOLDER_TYPES:
            node["enum"] = [*FOLDER_TYPES, "file"]

    for path, item in spec["paths"].items():
        if path.startswith("/folders"):
            walk(item, fix)


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

    walk(spec["paths"].get("/source_control/config", {}), fix)


def _user_name_length(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/users"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    for name in ("first_name", "last_name"):
        body["properties"][name]["maxLength"] = 36


def _user_patch_top_level(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/users/{userId}"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    for variant in body["properties"]["operations"]["items"]["anyOf"]:
        variant["properties"]["path"]["pattern"] = USER_PATCH_PATH_PROD


def _list_objects_next_token(spec: dict[str, Any]) -> None:
    op = spec["paths"]["/permissions/listObjects"]["post"]
    op.setdefault("parameters", []).append(
        {"name": "next_token", "in": "query", "required": False, "schema": {"type": "string"}}
    )


def _nullable_enums(spec: dict[str, Any]) -> None:
    def fix(node: dict[str, Any]) -> None:
        enum = node.get("enum")
        if node.get("nullable") is True and isinstance(enum, list) and None not in enum:
            node["enum"] = [*enum, None]

    walk(spec["paths"], fix)


REQUEST_DIVERGENCES: list[Divergence] = [
    Divergence(
        "folder-file-ids",
        "Folder ids of the form `file_<n>` (the `file` folder type) exist and are accepted wherever the "
        "spec takes a folder id (parent_folder_id, permission objects, folder paths).",
        "recordings TestAccFolder.yaml, TestAccFoldersDataSource.yaml (GET /folders lists `file_6`)",
        patch=_folder_file_ids,
        applies_to_requests=True,
    ),
    Divergence(
        "folder-file-type",
        "`file` is a folder type, outside the spec's folder_type enum, in answers and in requests.",
        "recordings TestAccFolder.yaml (folder_type `file` in GET /folders); TF provider "
        "internal/provider/folder/resource.go (folder_type accepts app, file, resource, workflow, agent)",
        patch=_folder_file_type,
        applies_to_requests=True,
    ),
    Divergence(
        "bitbucket-app-password-type",
        "Bitbucket app-password source control configs are accepted without `type: AppPassword` "
        "and read back without it.",
        "recording TestAccSourceControlTest.yaml (PUT without `type`, 200, read back without it)",
        patch=_bitbucket_type_optional,
        applies_to_requests=True,
    ),
    Divergence(
        "user-name-length",
        "User first and last names longer than 36 characters (the limit the spec's user schema "
        "declares) are rejected with a 400 on create and update, not only absent from reads.",
        "assumption: the spec's user schema caps names at 36 characters, so longer ones cannot be stored",
        patch=_user_name_length,
        applies_to_requests=True,
    ),
    Divergence(
        "user-patch-top-level",
        "PATCH /users/{id} operations name a top-level field (`/metadata`, not `/metadata/team`); "
        "with the spec's add / remove / replace (no `move`, `copy` or `test`).",
        "spec (op enum); TF provider internal/provider/user/resource.go sends only top-level `replace` "
        "(the whole `/metadata`); assumption: nested paths are refused",
        patch=_user_patch_top_level,
        applies_to_requests=True,
    ),
    Divergence(
        "list-objects-next-token",
        "POST /permissions/listObjects takes the `next_token` of a previous answer as a query "
        "parameter, as the GET lists do (its body allows no other property).",
        "recordings TestAccPermissions*.yaml (answers carry next_token/has_more, never set there); "
        "assumption: where the token goes",
        patch=_list_objects_next_token,
        applies_to_requests=True,
    ),
    Divergence(
        "nullable-enum-null",
        "A `nullable: true` enum accepts and returns null although null is not listed among its "
        "values (OpenAPI 3.0.3 would require it there); the spec's nullable enums mean exactly that.",
        "assumption: the spec's `nullable: true` states the intent",
        patch=_nullable_enums,
        applies_to_requests=True,
    ),
]


def apply_request_divergences(spec: dict[str, Any]) -> dict[str, Any]:
    """Apply every request-side patch to `spec` in place; returns it."""
    for d in REQUEST_DIVERGENCES:
        if d.patch is not None:
            d.patch(spec)
    return spec
