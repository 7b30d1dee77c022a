"""Organisation settings, AI settings, observability, access tokens, app themes,
custom component libraries and access requests."""

from __future__ import annotations

import copy
from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    check_unique,
    delete_route,
    get_or_404,
    int_key,
    list_route,
    listing,
    no_content,
    not_found,
    ok,
    patch_changes,
    read_route,
    route,
    stamps,
    touch,
)
from retool_pulumi.emulator.store import Record, Store, now, public

# ---- organisation --------------------------------------------------------------------------

_NULLABLE_ORG = {"cache_queries_per_user", "preloaded_css", "preloaded_javascript", "two_factor_auth_type"}


@route("GET", "/organization/")
def read_organization(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(copy.deepcopy(store.organization))


@route("PATCH", "/organization/")
def update_organization(store: Store, req: Request) -> Result:
    with store.lock:
        org = store.organization
        editable = [k for k in org if k != "id"]
        changes = patch_changes(org, req, editable, "organization")
        for key, value in changes.items():
            current = org[key]
            if value is None:
                if key not in _NULLABLE_ORG:
                    raise ApiError(400, f"{key} cannot be null")
                continue
            expected: Any = bool if key in ("cache_queries_per_user",) else type(current)
            if current is None:
                expected = str
            if key == "workflow_run_retention_period_mins":
                expected = (int, float)
            if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
                raise ApiError(400, f"{key} has the wrong type")
            if key == "two_factor_auth_type" and value not in ("fido2", "otp"):
                raise ApiError(400, "two_factor_auth_type must be one of fido2, otp")
            if key == "javascript_links" and not all(isinstance(v, str) for v in value):
                raise ApiError(400, "javascript_links must be a list of strings")
        org.update(changes)
        return ok(copy.deepcopy(org))


@route("POST", "/organization/invalidate_sessions/")
def invalidate_sessions(store: Store, req: Request) -> Result:
    return no_content()


@route("GET", "/organization/ai_settings")
def read_ai_settings(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(dict(store.ai_settings))


@route("PUT", "/organization/ai_settings")
def set_ai_settings(store: Store, req: Request) -> Result:
    with store.lock:
        store.ai_settings = dict(req.body)
        return ok(dict(store.ai_settings))


# ---- observability ---------------------------------------------------------------------------


def _get_observability(store: Store, config_id: str) -> Record:
    conf = store.observability_configs.get(config_id)
    if conf is None:
        raise ApiError(422, f'Observability configuration with id "{config_id}" does not exist')
    return conf


@route("GET", "/observability/config")
def list_observability(store: Store, req: Request) -> Result:
    with store.lock:
        return ok([copy.deepcopy(c) for c in store.observability_configs.values()])


@route("POST", "/observability/config")
def create_observability(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        provider = body["config"]["provider"]
        if any(c["config"]["provider"] == provider for c in store.observability_configs.values()):
            raise ApiError(422, f"An observability configuration for {provider} already exists")
        cid = store.new_uuid()
        conf = {"id": cid, "config": copy.deepcopy(body["config"]), "enabled": body["enabled"]}
        store.observability_configs[cid] = conf
        return ok(copy.deepcopy(conf))


@route("PUT", "/observability/config/{configId}")
def update_observability(store: Store, req: Request) -> Result:
    with store.lock:
        conf = _get_observability(store, req.params["configId"])
        body = req.body
        if "config" in body:
            if body["config"]["provider"] != conf["config"]["provider"]:
                raise ApiError(422, "The provider of an observability configuration cannot change")
            conf["config"] = copy.deepcopy(body["config"])
        if "enabled" in body:
            conf["enabled"] = body["enabled"]
        return ok(copy.deepcopy(conf))


delete_observability = delete_route(
    "/observability/config/{configId}", "observability_configs", _get_observability
)


@route("POST", "/observability/provider/{provider}/test")
def test_observability(store: Store, req: Request) -> Result:
    with store.lock:
        provider = req.params["provider"]
        for conf in store.observability_configs.values():
            if conf["config"]["provider"] == provider and conf["enabled"]:
                return ok({"success": True})
        return ok({"success": False, "message": f"No enabled {provider} configuration"})


# ---- access tokens ---------------------------------------------------------------------------


list_tokens = list_route("/access_tokens", "access_tokens")


@route("GET", "/access_tokens/:accessTokenId")
def read_token(store: Store, req: Request) -> Result:
    with store.lock:
        token = store.access_tokens.get(req.params["accessTokenId"])
        if token is None:
            raise not_found("Requested access token could not be found.")
        return ok(public(token))


@route("POST", "/access_tokens")
def create_token(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        tid = store.new_uuid()
        secret = f"retool_{store.hex32()}"
        admin = store.users.get(store.admin_user_id, {})
        token = {
            "id": tid,
            "label": body["label"],
            "description": body.get("description"),
            "last4": secret[-4:],
            "owner_legacy_id": admin.get("legacy_id", 1),
            "scopes": list(body["scopes"]),
            **stamps(),
            "_secret": secret,
        }
        store.access_tokens[tid] = token
        # The token value is returned once, at creation, and never again.
        return ok({**public(token), "access_token": secret})


# ---- app themes ------------------------------------------------------------------------------


def _theme_name_free(store: Store, name: str, exclude: int | None = None) -> None:
    check_unique(
        store.app_themes.values(), "name", name, f'An app theme named "{name}" already exists', exclude
    )


def _get_theme(store: Store, theme_id: str) -> Record:
    return get_or_404(store.app_themes, int_key(theme_id), "App theme", shown=theme_id)


@route("GET", "/app_themes")
def list_themes(store: Store, req: Request) -> Result:
    with store.lock:
        return ok([copy.deepcopy(t) for t in store.app_themes.values()])


read_theme = read_route("/app_themes/{id}", _get_theme, copy.deepcopy)


def _new_theme(store: Store, body: dict[str, Any]) -> Record:
    _theme_name_free(store, body["name"])
    tid = store.next_int("app_theme")
    theme = {
        "id": tid,
        "legacy_id": tid,
        "name": body["name"],
        "theme": copy.deepcopy(body["theme"]),
        **stamps(),
    }
    store.app_themes[tid] = theme
    return theme


@route("POST", "/app_themes")
def create_theme(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(copy.deepcopy(_new_theme(store, req.body)))


@route("PUT", "/app_themes")
def upsert_theme(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        theme = store.app_themes.get(int(body["id"]))
        if theme is None:
            return ok(copy.deepcopy(_new_theme(store, body)), status=201)
        _theme_name_free(store, body["name"], exclude=theme["id"])
        touch(theme, {"name": body["name"], "theme": copy.deepcopy(body["theme"])})
        return ok(copy.deepcopy(theme))


delete_theme = delete_route("/app_themes/{id}", "app_themes", _get_theme)


# ---- custom component libraries ------------------------------------------------------------


def _get_library(store: Store, library_id: str) -> Record:
    lib = store.custom_component_libraries.get(library_id)
    if lib is None:
        raise not_found("Custom component library not found.")
    return lib


@route("GET", "/custom_component_libraries")
def list_libraries(store: Store, req: Request) -> Result:
    with store.lock:
        # `libraryId` is required (the spec): the answer holds that library only (divergence
        # custom-component-libraries-by-id).
        lib = store.custom_component_libraries.get(req.query["libraryId"])
        return ok([public(lib)] if lib is not None else [])


read_library = read_route("/custom_component_libraries/{libraryId}", _get_library)


@route("POST", "/custom_component_libraries")
def create_library(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        lid = body.get("id") or store.new_uuid()
        if lid in store.custom_component_libraries:
            raise ApiError(409, "A library with the provided ID already exists.")
        if store.find("custom_component_libraries", name=body["name"]) is not None:
            raise ApiError(409, f'A library named "{body["name"]}" already exists.')
        lib = {
            "id": lid,
            "name": body["name"],
            "description": body.get("description"),
            "label": body["label"],
            **stamps(),
        }
        store.custom_component_libraries[lid] = lib
        return ok(public(lib))


@route("POST", "/custom_component_libraries/{libraryId}/revisions")
def create_revision(store: Store, req: Request) -> Result:
    with store.lock:
        lib = _get_library(store, req.params["libraryId"])
        count = sum(
            1 for r in store.library_revisions.values() if r["custom_component_library_id"] == lib["id"]
        )
        rid = store.new_uuid()
        rev = {
            "id": rid,
            "version": str(count + 1),
            "custom_component_library_id": lib["id"],
            **stamps(),
            "_files": [],
        }
        store.library_revisions[rid] = rev
        return ok(public(rev))


@route("GET", "/custom_component_libraries/{libraryId}/revisions")
def list_revisions(store: Store, req: Request) -> Result:
    with store.lock:
        lib = _get_library(store, req.params["libraryId"])
        revs = [
            public(r)
            for r in store.library_revisions.values()
            if r["custom_component_library_id"] == lib["id"]
        ]
        return ok(revs)


@route("GET", "/custom_component_libraries/{libraryId}/revisions/{revisionId}/files")
def list_revision_files(store: Store, req: Request) -> Result:
    with store.lock:
        lib = _get_library(store, req.params["libraryId"])
        rev = store.library_revisions.get(req.params["revisionId"])
        if rev is None or rev["custom_component_library_id"] != lib["id"]:
            raise not_found("Custom component library revision not found.")
        return ok(copy.deepcopy(rev["_files"]))


# ---- access requests ------------------------------------------------------------------------


def _get_access_request(store: Store, request_id: str) -> Record:
    return get_or_404(store.access_requests, int_key(request_id), "Access request", shown=request_id)


@route("GET", "/access_requests")
def list_access_requests(store: Store, req: Request) -> Result:
    with store.lock:
        status = req.query.get("status")
        return listing(req, [r for r in store.access_requests.values() if status in (None, r["status"])])


read_access_request = read_route("/access_requests/{accessRequestId}", _get_access_request)


@route("PATCH", "/access_requests/{accessRequestId}")
def decide_access_request(store: Store, req: Request) -> Result:
    with store.lock:
        item = _get_access_request(store, req.params["accessRequestId"])
        changes = patch_changes(item, req, ("status",), "access request")
        status = changes.get("status", item["status"])
        if status not in ("APPROVED", "DENIED"):
            raise ApiError(400, "status must be one of APPROVED, DENIED")
        if item["status"] != "PENDING":
            raise ApiError(400, f"Access request {item['id']} has already been {item['status'].lower()}")
        item.update(status=status, updated_by_id=store.admin_user_id, updated_at=now())
        return ok(public(item))
