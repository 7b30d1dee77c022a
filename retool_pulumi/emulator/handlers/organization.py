"""/organization: settings, session invalidation and AI settings."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, no_content, ok, patch_changes, route


@route("GET", "/organization/")
def read_organization(b: Backends, req: Request) -> Result:
    return ok(b.organization.settings())


@route("PATCH", "/organization/")
def update_organization(b: Backends, req: Request) -> Result:
    org = b.organization
    return ok(org.update_settings(patch_changes(org.settings(), req, org.editable(), "organization")))


@route("POST", "/organization/invalidate_sessions/")
def invalidate_sessions(b: Backends, req: Request) -> Result:
    return no_content()


@route("GET", "/organization/ai_settings")
def read_ai_settings(b: Backends, req: Request) -> Result:
    return ok(b.organization.ai_settings())


@route("PUT", "/organization/ai_settings")
def set_ai_settings(b: Backends, req: Request) -> Result:
    return ok(b.organization.set_ai_settings(req.body))
