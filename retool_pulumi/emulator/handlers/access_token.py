"""/access_tokens."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, list_route, ok, read_route, route

list_tokens = list_route("/access_tokens", lambda b: b.access_tokens)
read_token = read_route("/access_tokens/:accessTokenId", lambda b: b.access_tokens)


@route("POST", "/access_tokens")
def create_token(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.access_tokens.create(body["label"], body.get("description"), body["scopes"]))
