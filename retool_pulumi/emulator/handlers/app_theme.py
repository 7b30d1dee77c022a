"""/app_themes."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, ok, read_route, route


@route("GET", "/app_themes")
def list_themes(b: Backends, req: Request) -> Result:
    return ok([b.app_themes.render(t) for t in b.app_themes.all()])


read_theme = read_route("/app_themes/{id}", lambda b: b.app_themes)


@route("POST", "/app_themes")
def create_theme(b: Backends, req: Request) -> Result:
    return ok(b.app_themes.create(req.body["name"], req.body["theme"]))


@route("PUT", "/app_themes")
def upsert_theme(b: Backends, req: Request) -> Result:
    body = req.body
    theme, created = b.app_themes.upsert(body["id"], body["name"], body["theme"])
    return ok(theme, status=201 if created else 200)


delete_theme = delete_route("/app_themes/{id}", lambda b: b.app_themes)
