"""/user_attributes (definitions) and the attribute values of users and invites."""

from __future__ import annotations

from ..backends import Backends
from .base import BackendOf, Request, Result, list_route, no_content, ok, patch_changes, route

list_attributes = list_route("/user_attributes", lambda b: b.user_attributes, paginated=False)


@route("POST", "/user_attributes")
def create_attribute(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(
        b.user_attributes.create(body["name"], body["label"], body["dataType"], body.get("defaultValue"))
    )


@route("PATCH", "/user_attributes/{id}")
def update_attribute(b: Backends, req: Request) -> Result:
    attr = b.user_attributes.get(req.params["id"])
    changes = patch_changes(attr, req, ("label", "data_type", "default_value"), "user attribute")
    return ok(b.user_attributes.update(attr, changes))


@route("DELETE", "/user_attributes/{id}")
def delete_attribute(b: Backends, req: Request) -> Result:
    update_users = req.query.get("update_existing_users") == "true"
    b.user_attributes.delete(req.params["id"], update_existing_users=update_users)
    return no_content()


def _value_routes(template: str, param: str, holders: BackendOf) -> None:
    """Setting (POST) and removing (DELETE) one attribute value in the metadata of a holder."""

    @route("POST", f"{template}/user_attributes")
    def set_value(b: Backends, req: Request) -> Result:
        holder = holders(b).get(req.params[param])
        return ok({"metadata": b.user_attributes.set_value(holder, req.body["name"], req.body["value"])})

    @route("DELETE", f"{template}/user_attributes/{{attributeName}}")
    def remove_value(b: Backends, req: Request) -> Result:
        holder = holders(b).get(req.params[param])
        return ok({"metadata": b.user_attributes.remove_value(holder, req.params["attributeName"])})


_value_routes("/users/{userId}", "userId", lambda b: b.users)
_value_routes("/user_invites/{userInviteId}", "userInviteId", lambda b: b.user_invites)
