"""/observability: configurations and the provider test."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, ok, route


@route("GET", "/observability/config")
def list_observability(b: Backends, req: Request) -> Result:
    return ok([b.observability.render(c) for c in b.observability.all()])


@route("POST", "/observability/config")
def create_observability(b: Backends, req: Request) -> Result:
    return ok(b.observability.create(req.body["config"], req.body["enabled"]))


@route("PUT", "/observability/config/{configId}")
def update_observability(b: Backends, req: Request) -> Result:
    conf = b.observability.get(req.params["configId"])
    return ok(b.observability.update(conf, req.body.get("config"), req.body.get("enabled")))


delete_observability = delete_route("/observability/config/{configId}", lambda b: b.observability)


@route("POST", "/observability/provider/{provider}/test")
def test_observability(b: Backends, req: Request) -> Result:
    return ok(b.observability.test(req.params["provider"]))
