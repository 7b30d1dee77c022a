"""Every place where the emulator follows production Retool rather than the bundled spec.

Each entry is one sentence plus its source: a recording of production traffic
(`../shared/retool-api/recordings/<file>`), the spec, the source of Retool's Terraform provider
(tryretool/terraform-provider-retool), or an explicit "assumption:". Entries with a `patch` also
adjust the schemas the strict response validator uses, so that the documented divergence does
not count as a violation.

What production *accepts* (request-side patches) is a fact the provider relies on too, so it
lives in the product (`retool_pulumi.openapi.production`); it is listed here as well, first, so
this list is the emulator's whole story. The entries below it are about what production answers
and how it behaves.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from retool_pulumi.openapi.production import (
    FOLDER_ID_PATTERN,
    FOLDER_ID_PATTERN_PROD,
    FOLDER_TYPES,
    REQUEST_DIVERGENCES,
    Divergence,
    walk,
)

__all__ = [
    "DIVERGENCES",
    "FOLDER_ID_PATTERN",
    "FOLDER_ID_PATTERN_PROD",
    "FOLDER_TYPES",
    "Divergence",
    "request_spec",
    "response_spec",
]


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
                    walk(op.get("responses", {}), fix)


def _resource_configuration_envelope(spec: dict[str, Any]) -> None:
    resp = spec["paths"]["/resource_configurations/{configurationId}"]["get"]["responses"]["200"]
    media = resp["content"]["application/json"]
    inner = copy.deepcopy(media["schema"])
    media["schema"] = {
        "type": "object",
        "properties": {"success": {"type": "boolean", "enum": [True]}, "data": inner},
        "required": ["success", "data"],
    }


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
                        walk(op.get("responses", {}), fix)

    return patch


def _resource_folder_id_omitted(spec: dict[str, Any]) -> None:
    _drop_required("/resources", "*", "folder_id")(spec)
    _drop_required("/resource_configurations", "*", "folder_id")(spec)


RESPONSE_DIVERGENCES: list[Divergence] = [
    Divergence(
        "space-id-format",
        "Space ids are `org_<32 hex>`, not the UUIDs the spec declares (and a new space's "
        "domain may be empty, see space-create-domain).",
        "recording TestAccSpace.yaml",
        patch=_space_ids,
    ),
    Divergence(
        "resource-configuration-envelope",
        "GET /resource_configurations/{id} wraps the configuration in the usual "
        "{success, data} envelope although the spec documents a bare object.",
        "recording TestAccResourceConfiguration.yaml",
        patch=_resource_configuration_envelope,
    ),
    Divergence(
        "folder-ids-shared-counter",
        "App, workflow and file folders share one id sequence while resource folders have "
        "their own, so ids skip numbers within a type (app_1, app_2, app_3, workflow_4, ...).",
        "recordings TestAccFolder.yaml, TestAccFoldersDataSource.yaml",
    ),
    Divergence(
        "folder-patch-move-response",
        "A folder PATCH that only changes parent_folder_id answers with the folder as it was "
        "before the move; the move is visible on the next read.",
        "recording TestAccFolder.yaml (PATCH /folders/app_93)",
    ),
    Divergence(
        "space-create-domain",
        "POST /spaces answers with an empty `domain` while the space is provisioned; later "
        "reads return the requested domain. A read that reaches Retool while the POST is still "
        "provisioning the space (a lookup after a timed-out create) sees the empty domain too: "
        "the emulator shows it in the next `backends.space.set_provisioning_reads(store, n)` reads of a "
        "new space (0 by default, as in the recording, where the GET after the POST has the domain).",
        'recording TestAccSpace.yaml (POST answers `domain: ""`, ~3 s after created_at); '
        "assumption: reads during that window see the empty domain",
    ),
    Divergence(
        "permissions-grant-response",
        "POST /permissions/grant and /revoke answer with all of the subject's remaining grants "
        "on objects of the same type, plus total_count/next_token/has_more (omitted for screens).",
        "recordings TestAccPermissions.yaml, TestAccPermissions_Screen.yaml",
    ),
    Divergence(
        "permissions-list-objects-pages",
        "POST /permissions/listObjects answers carry total_count/next_token/has_more; the emulator "
        "answers 100 items a page and takes the next page's `next_token` as a query parameter "
        "(the body's schema forbids extra properties).",
        "recordings TestAccPermissions*.yaml (has_more false, up to 22 items in one page); "
        "assumption: page size and where next_token goes",
    ),
    Divergence(
        "configuration-variable-secret-masking",
        "Values of `secret: true` configuration variables read back (even in the create "
        "response) as `---encrypted-on-server---`.",
        "recording TestAccConfigurationVariableSecret.yaml",
    ),
    Divergence(
        "source-control-credential-masking",
        "Source control credentials (private keys, tokens, passwords, access keys) read back as "
        "`---encrypted-on-server---`.",
        "recording TestAccSourceControlTest.yaml",
    ),
    Divergence(
        "bitbucket-type-not-returned",
        "A Bitbucket source control config reads back without `type`, even when one was sent.",
        "recording TestAccSourceControlTest.yaml (read back without `type`); assumption: a sent "
        "`type: AppPassword` is not echoed either",
    ),
    Divergence(
        "sso-secret-encryption",
        "SSO client secrets, the LDAP server key and the LDAP server certificate read back "
        'encrypted: a JSON string carrying `"canaryValue": "__RETOOL_ENCRYPTED_JSON__"`, the same '
        "for the same plaintext from one read to the next; `idp_metadata_xml` reads back as sent.",
        "TF provider internal/provider/sso/resource.go (encrypted_client_secret, encrypted_server_key, "
        "encrypted_server_certificate compared with the read); production traffic reported in issue #11 "
        "(no SSO recording in ../shared)",
    ),
    Divergence(
        "resource-options-hidden",
        "Resource `options` are accepted on create but never returned by the resources endpoints.",
        "recordings TestAccRetoolResource.yaml, TestAccResourceConfiguration.yaml",
    ),
    Divergence(
        "resource-configuration-defaults",
        "The server adds `authentication_options: {authentication_type: none}` to resource "
        "configuration options that do not set it.",
        "recording TestAccResourceConfiguration.yaml",
    ),
    Divergence(
        "user-delete-disables",
        "DELETE /users/{id} disables the user (active=false) instead of removing it.",
        "recording TestAccUser.yaml",
    ),
    Divergence(
        "configuration-variable-unknown-environment",
        "A configuration variable value naming an unknown environment is a 400 "
        '`Environment with id "<id>" does not exist`.',
        "recording TestAccConfigurationVariable.yaml (PUT -> 400)",
    ),
    Divergence(
        "configuration-variable-default-value",
        "Configuration variables without a default value omit `default_value` instead of "
        "returning the null the spec requires.",
        "recordings TestAccConfigurationVariable*.yaml",
        patch=_drop_required("/configuration_variables", "*", "default_value"),
    ),
    Divergence(
        "resource-folder-id-omitted",
        "Resources outside any folder omit `folder_id` (also inside resource configurations) "
        "instead of returning the null the spec requires.",
        "recordings TestAccRetoolResource.yaml, TestAccResourceConfiguration.yaml",
        patch=_resource_folder_id_omitted,
    ),
    Divergence(
        "role-grants-bodies",
        "POST /role_permissions/role_grants answers 201 without a body, as the spec says; the GETs "
        "of role grants (no documented body) answer the usual list envelope of grants "
        "{id, role_id, subject_type, subject_id, object_type, object_id, created_at}.",
        "spec (201 without content); assumption: the GET bodies (undocumented, no recording)",
    ),
    Divergence(
        "custom-component-libraries-by-id",
        "GET /custom_component_libraries requires `libraryId` (400 without it, as the spec says) and "
        "lists only that library; there is no listing of every library.",
        "spec (required query parameter); assumption: the answer holds just that library",
    ),
    Divergence(
        "user-email-unique",
        "A second user with an email address already in use (compared case-insensitively, disabled "
        'users included) is a 409 `A user with email "<email>" already exists`, on create and on a '
        "PATCH of `email`. The provider relies on it: a User declared again after a destroy adopts "
        "the disabled user and re-enables it with PATCH `replace /active true`.",
        "assumption: no recording tries it (TestAccUser.yaml's address `tf-acc-user-v4` hints that "
        "earlier runs' addresses could not be reused); re-enabling through `active` as the Terraform "
        "provider's updatable `active` attribute implies; the spec declares only 200 for POST /users, "
        "but an address is a Retool user's sign-in identity",
    ),
    Divergence(
        "check-health",
        "GET /api/checkHealth (outside /api/v2, not in the spec) answers 200 with a top-level "
        '`version` (the bundled spec\'s, "3.373.0") and needs no token; faults do not apply to it.',
        "terraform-provider-retool internal/provider/provider.go (checkMinimalVersion: Go's default "
        "HTTP client, no Authorization header, reads only `version`, requires >= 3.75.0); "
        "assumption: production's other health fields are unknown and left out",
    ),
    Divergence(
        "undeclared-error-statuses",
        "Errors the spec does not declare for an operation (400 for an invalid request, 404 for an "
        "unknown id, 409, 422) are answered with the usual {success: false, message} envelope, as "
        "production does (e.g. the recorded 400 from PUT /configuration_variables/{id}).",
        "recording TestAccConfigurationVariable.yaml",
    ),
    Divergence(
        "deletion-cascades",
        "Deleting an object takes with it what cannot outlive it and clears what merely points at it, "
        "as `backends.cascade.DEPENDENTS` lists: grants on it (and on an app's screens) and grants it "
        "holds, a folder's subfolders, apps and workflows (its resources move out), a resource's or "
        "environment's resource configurations, an environment's configuration variable values, a "
        "role's grants, a deleted app as a group's landing page, a deleted invite in its groups.",
        "assumption: production keeps no dangling references (no recording reads one after a delete)",
    ),
    Divergence(
        "path-segments-decoded-after-routing",
        "Routes match the path as sent and each path parameter is percent-decoded once afterwards, so "
        "an escaped `/` (%2F) stays inside its segment: an id holding one is that (unknown) id, never "
        "another route; a parameter that does not decode (a malformed escape, or not UTF-8) is a 400 "
        "`Failed to decode param '<raw>'`.",
        "expressjs/express lib/router/layer.js (Layer.prototype.match runs the route's regexp on the "
        "undecoded path, then decodeURIComponent on each captured parameter; a URIError is a 400); "
        "assumption: Retool's API routes with Express (no recording escapes a `/`)",
    ),
    Divergence(
        "patch-values-validated",
        "JSON Patch values are checked against the field's schema in the object the API returns "
        "(400 naming the field), so a PATCH cannot store a value that reads back invalid.",
        "assumption: production validates what it stores",
    ),
    # Opt-in answer shapes (`Emulator.set_faults(...)`, see faults.Faults): off by default, so none
    # of them changes what the emulator claims about production.
    Divergence(
        "shape-reverse-arrays",
        "Opt-in `reverse_arrays`: every array of a GET's data reversed; the provider must not diff on "
        "an order nothing in the spec promises.",
        "robustness mode, not a claim about production: the recordings "
        "(TestAccConfigurationVariable*.yaml) answer in the order sent",
    ),
    Divergence(
        "shape-null-for-missing",
        "Opt-in `null_for_missing`: a GET of something missing answers 200 `data: null` instead of "
        "404; the engine reads an empty singleton answer as `none`.",
        "robustness mode, not a claim about production: no recording reads a missing object or an "
        "unset singleton",
    ),
    Divergence(
        "shape-bare-404",
        "Opt-in `bare_404`: 404s with an empty body, as a proxy or load balancer in front of Retool "
        "may send.",
        "robustness mode, not a claim about production: no recording holds a 404",
    ),
    Divergence(
        "shape-stale-next-token",
        "Opt-in `stale_next_token`: a last page (`has_more: false`) still carries a next_token; "
        "clients must stop on has_more.",
        "robustness mode, not a claim about production: every recorded listing's last page has "
        "`next_token: null` (e.g. TestAccFoldersDataSource.yaml)",
    ),
]

DIVERGENCES: list[Divergence] = [*REQUEST_DIVERGENCES, *RESPONSE_DIVERGENCES]


def response_spec(patched: dict[str, Any]) -> dict[str, Any]:
    """Apply every divergence patch in place (for response validation); returns the spec."""
    for d in DIVERGENCES:
        if d.patch is not None:
            d.patch(patched)
    return patched


def request_spec(patched: dict[str, Any]) -> dict[str, Any]:
    """Apply the request-side divergence patches in place (what production accepts); returns the
    spec. The emulator validates against `retool_pulumi.openapi.production_document()`, which is
    this applied to the bundled document."""
    for d in DIVERGENCES:
        if d.patch is not None and d.applies_to_requests:
            d.patch(patched)
    return patched
