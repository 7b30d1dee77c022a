"""/permissions: grant, revoke, listObjects and accessList."""

from __future__ import annotations

from ..backends import Backends
from ..backends.permission import Subject
from .base import Request, Result, ok, page, route

# listObjects answers 100 grants a page (divergence permissions-list-objects-pages).
LIST_OBJECTS_PAGE = 100


def _remaining(b: Backends, subject: Subject, object_type: str) -> Result:
    # Grant and revoke answer with the subject's grants on objects of the type (divergence
    # permissions-grant-response); screen answers carry no pagination fields.
    items = b.permissions.objects_of(subject, object_type)
    return ok(items) if object_type == "screen" else page(items, None, None)


@route("POST", "/permissions/grant")
def grant(b: Backends, req: Request) -> Result:
    body = req.body
    return _remaining(b, *b.permissions.grant(body["subject"], body["object"], body["access_level"]))


@route("POST", "/permissions/revoke")
def revoke(b: Backends, req: Request) -> Result:
    return _remaining(b, *b.permissions.revoke(req.body["subject"], req.body["object"]))


@route("POST", "/permissions/listObjects")
def list_objects(b: Backends, req: Request) -> Result:
    body = req.body
    inherited = bool(body.get("include_inherited_access"))
    items = b.permissions.list_objects(body["subject"], body["object_type"], inherited)
    return page(items, req.query.get("next_token"), LIST_OBJECTS_PAGE)


@route("GET", "/permissions/accessList/{objectType}/{objectId}")
def access_list(b: Backends, req: Request) -> Result:
    return ok(b.permissions.access_list(req.params["objectType"], req.params["objectId"]))
