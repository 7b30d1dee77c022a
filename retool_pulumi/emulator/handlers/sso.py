"""/sso/config."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, no_content, ok, route


@route("GET", "/sso/config")
def read_sso(b: Backends, req: Request) -> Result:
    return ok(b.sso.read())


@route("POST", "/sso/config")
def set_sso(b: Backends, req: Request) -> Result:
    return ok(b.sso.set(req.body["data"]))


@route("DELETE", "/sso/config")
def delete_sso(b: Backends, req: Request) -> Result:
    b.sso.delete()
    return no_content()
