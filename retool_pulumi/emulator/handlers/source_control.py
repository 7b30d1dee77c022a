"""/source_control: configuration, settings, deployments."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, no_content, ok, route


@route("GET", "/source_control/config")
def read_config(b: Backends, req: Request) -> Result:
    return ok(b.source_control.read_config())


@route("POST", "/source_control/config")
def create_config(b: Backends, req: Request) -> Result:
    config, _ = b.source_control.set_config(req.body["config"], replace=False)
    return ok(config)


@route("PUT", "/source_control/config")
def set_config(b: Backends, req: Request) -> Result:
    config, created = b.source_control.set_config(req.body["config"])
    return ok(config, status=201 if created else 200)


@route("DELETE", "/source_control/config")
def delete_config(b: Backends, req: Request) -> Result:
    b.source_control.delete_config()
    return no_content()


@route("GET", "/source_control/test_connection")
def test_connection(b: Backends, req: Request) -> Result:
    b.source_control.config(status=422)
    return ok({"success": True})


@route("GET", "/source_control/settings")
def read_settings(b: Backends, req: Request) -> Result:
    return ok(b.source_control.settings())


@route("PUT", "/source_control/settings")
def set_settings(b: Backends, req: Request) -> Result:
    return ok(b.source_control.update_settings(req.body["settings"]))


@route("POST", "/source_control/deploy")
def deploy(b: Backends, req: Request) -> Result:
    return ok(b.source_control.deploy())


@route("GET", "/source_control/deployment/{id}")
def read_deployment(b: Backends, req: Request) -> Result:
    return ok(b.source_control.deployment(req.params["id"]))


@route("GET", "/source_control/deployments")
def list_deployments(b: Backends, req: Request) -> Result:
    return ok({"deployments": b.source_control.deployments()})
