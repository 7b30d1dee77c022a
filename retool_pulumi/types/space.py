"""Spaces: separate Retool organisations on one instance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import pulumi
from pydantic import Field

from ..client import RetoolClient
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ._common import SPACE_ID

_CREATE_OPTIONS = (
    "copy_sso_settings",
    "copy_branding_and_themes_settings",
    "users_to_copy_as_admins",
    "create_admin_user",
)


class SpaceInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the space.")]
    domain: Annotated[str, Field(min_length=1, description="The space's domain, unique on the instance.")]
    copy_sso_settings: Annotated[
        bool | None, REPLACE, Field(description="Copy SSO settings at creation.")
    ] = None
    copy_branding_and_themes_settings: Annotated[
        bool | None, REPLACE, Field(description="Copy branding and themes at creation.")
    ] = None
    users_to_copy_as_admins: Annotated[
        list[str] | None, REPLACE, Field(description="Emails of users made admins of the new space.")
    ] = None
    create_admin_user: Annotated[bool | None, REPLACE, Field(description="Create an admin user.")] = None


class SpaceSpec(ResourceSpec):
    kind = "Space"
    inputs = SpaceInputs
    collection = "/spaces"
    id_pattern, id_example = SPACE_ID, "org_df0f66ed6173458e85b339d240171487"
    outputs = ("created_at", "updated_at")
    update_style = "put"
    delete_before_replace = True  # domains are unique
    natural_key = ("domain",)
    batch_reads = True  # list items carry every field of the GET
    write_only = _CREATE_OPTIONS  # used at creation, never returned
    # While Retool provisions a new space (its POST takes seconds) the space reads with
    # `domain: ""` (the POST's own answer always does): the declared domain stands meanwhile.
    read_omits = ("domain",)

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        out = super().to_inputs(obj)
        if out.get("domain") == "":
            del out["domain"]  # still provisioning: no domain yet
        return out

    def find_existing(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The space with the declared domain, or else the one with the declared name that is
        still provisioning (no domain yet): the one an ambiguous POST may have made."""
        provisioning = None
        for obj in self.list_objects(client):
            if obj.get("domain") == inputs.get("domain"):
                return dict(obj)
            if provisioning is None and obj.get("domain") == "" and obj.get("name") == inputs.get("name"):
                provisioning = dict(obj)
        return provisioning

    def body(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        body = super().body(inputs)
        options = {k: body.pop(k) for k in _CREATE_OPTIONS if k in body}
        if options:
            body["options"] = options
        return body

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        # PUT takes only name and domain; the creation options cannot change (they replace).
        body = {k: news[k] for k in ("name", "domain")}
        return dict(client.put(self.item_path(id_), json=body))


class Space(RetoolResource):
    """A Retool space. The creation options (`copy_*`, `users_to_copy_as_admins`,
    `create_admin_user`) only act at creation, so changing one replaces the space."""

    name: pulumi.Output[str]
    domain: pulumi.Output[str]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        domain: pulumi.Input[str],
        copy_sso_settings: pulumi.Input[bool] | None = None,
        copy_branding_and_themes_settings: pulumi.Input[bool] | None = None,
        users_to_copy_as_admins: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        create_admin_user: pulumi.Input[bool] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
