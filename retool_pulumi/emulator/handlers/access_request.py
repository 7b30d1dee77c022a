"""/access_requests."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, listing, ok, patch_changes, read_route, route


@route("GET", "/access_requests")
def list_access_requests(b: Backends, req: Request) -> Result:
    return listing(req, b.access_requests.with_status(req.query.get("status")), b.access_requests.render)


read_access_request = read_route("/access_requests/{accessRequestId}", lambda b: b.access_requests)


@route("PATCH", "/access_requests/{accessRequestId}")
def decide_access_request(b: Backends, req: Request) -> Result:
    item = b.access_requests.get(req.params["accessRequestId"])
    changes = patch_changes(item, req, ("status",), "access request")
    status = changes["status"] if "status" in changes else item["status"]
    return ok(b.access_requests.decide(item, status))
