"""/configuration_variables."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, list_route, ok, read_route, route

list_variables = list_route("/configuration_variables", lambda b: b.configuration_variables, paginated=False)
read_variable = read_route("/configuration_variables/{id}", lambda b: b.configuration_variables)


@route("POST", "/configuration_variables")
def create_variable(b: Backends, req: Request) -> Result:
    return ok(b.configuration_variables.create(req.body))


@route("PUT", "/configuration_variables/{id}")
def replace_variable(b: Backends, req: Request) -> Result:
    variables = b.configuration_variables
    return ok(variables.replace(variables.get(req.params["id"]), req.body))


delete_variable = delete_route("/configuration_variables/{id}", lambda b: b.configuration_variables)
