"""Users."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field

from ..client import RetoolClient
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..errors import ConflictError
from ..openapi import request_schema
from ._common import USER_ID
from ._extra import log

EMAIL = r"^[^@\s]+@[^@\s]+$"
# Production refuses longer names (a 400 at `up`): refuse them at check, from the same spec.
_NAME_MAX = request_schema("/users", "post")["properties"]["first_name"]["maxLength"]


class UserInputs(Inputs):
    email: Annotated[str, REPLACE, Field(pattern=EMAIL, description="The user's email address.")]
    first_name: Annotated[str, Field(min_length=1, max_length=_NAME_MAX, description="First name.")]
    last_name: Annotated[str, Field(min_length=1, max_length=_NAME_MAX, description="Last name.")]
    active: Annotated[bool | None, Field(description="Whether the user may sign in.")] = None
    metadata: Annotated[dict[str, Any] | None, Field(description="Free-form metadata.")] = None
    user_type: Annotated[Literal["default", "mobile", "embed"] | None, Field(description="Kind of user.")] = (
        None
    )


class UserSpec(ResourceSpec):
    kind = "User"
    inputs = UserInputs
    collection = "/users"
    id_pattern, id_example = USER_ID, "user_1607dcd42a484c31b56095ec5df0b125"
    outputs = ("legacy_id", "is_admin", "created_at", "two_factor_auth_enabled")
    natural_key = ("email",)

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """POST; when the address belongs to a disabled user (Retool keeps destroyed users,
        disabled, with their address: divergences user-email-unique, user-delete-disables),
        that user is the person declared again: adopted, updated and enabled (unless declared
        inactive), with a warning. An active user with the address stays a conflict."""
        try:
            return super().create_object(client, inputs)
        except ConflictError:
            found = self.find_existing(client, inputs)
            if found is None or found.get("active") is not False:
                raise
        id_ = self.object_id(found)
        wanted = {**inputs, "active": True if inputs.get("active") is None else inputs["active"]}
        current = {k: v for k, v in self.to_inputs(found).items() if k in wanted}
        log.warning(
            "User %s (%s) was disabled (a User destroyed earlier); declared again, it is adopted%s.",
            id_,
            found.get("email"),
            " and enabled again" if wanted["active"] else ", still disabled as declared",
        )
        return {**found, **self.update_object(client, id_, current, wanted)}

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        super().delete_object(client, id_, props)
        log.warning(
            "User %s (%s) is disabled, not deleted (Retool's API cannot delete users): they can no "
            "longer sign in, and keep their history. Declaring them again enables them again.",
            id_,
            props.get("email", "?"),
        )

    def patch_operations(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Top-level `replace`s only, as Retool's own provider sends them (PATCH /users takes add,
        remove and replace of whole fields: no `move`, no `/metadata/<key>`): a metadata change
        sends the whole `/metadata`, cleared metadata is `{}`, and a field the program no longer
        declares (`active`, `user_type`) is left as it is in Retool."""
        news = dict(news)
        if olds.get("metadata") is not None and news.get("metadata") is None:
            news["metadata"] = {}
        return [op for op in super().patch_operations(olds, news) if op["value"] is not None]

    def find_existing(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        # The list endpoint filters by email: one request instead of a scan.
        for obj in client.paginate(self.collection, {"email": inputs.get("email")}):
            if str(obj.get("email", "")).lower() == str(inputs.get("email", "")).lower():
                return dict(obj)
        return None


class User(RetoolResource):
    """A Retool user. Changing `email` replaces it. Retool cannot delete users: destroying this
    resource *disables* the user (active=false), who keeps their history; a warning says so.
    Declaring a disabled user's address again adopts that user and enables them again (unless
    declared `active=False`)."""

    email: pulumi.Output[str]
    first_name: pulumi.Output[str]
    last_name: pulumi.Output[str]
    active: pulumi.Output[bool | None]
    metadata: pulumi.Output[dict[str, Any] | None]
    user_type: pulumi.Output[str | None]
    legacy_id: pulumi.Output[int]
    is_admin: pulumi.Output[bool]
    created_at: pulumi.Output[str]
    two_factor_auth_enabled: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        email: pulumi.Input[str],
        first_name: pulumi.Input[str],
        last_name: pulumi.Input[str],
        active: pulumi.Input[bool] | None = None,
        metadata: pulumi.Input[Mapping[str, Any]] | None = None,
        user_type: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
