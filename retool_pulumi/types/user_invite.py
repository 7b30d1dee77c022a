"""User invites."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import pulumi
from pydantic import Field, field_validator

from ..client import RetoolClient, api_path
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..engine.values import normalize, same
from ..errors import NotFoundError
from ._common import NUMBER_ID
from .user import EMAIL


class UserInviteInputs(Inputs):
    email: Annotated[str, REPLACE, Field(pattern=EMAIL, description="The email of the invitee.")]
    default_group_ids: Annotated[
        list[int] | None, Field(description="The groups the invitee joins on accepting (group ID numbers).")
    ] = None
    metadata: Annotated[
        dict[str, str] | None,
        Field(description="User attributes the invitee starts with (attribute name -> value, as text)."),
    ] = None

    @field_validator("default_group_ids")
    @classmethod
    def _as_a_set(cls, value: list[int] | None) -> list[int] | None:
        return None if value is None else sorted(set(value))


def _group_ids(values: Sequence[Any]) -> list[int]:
    # The engine hands numbers over as floats (5.0); Retool's group ids are integers.
    return sorted({int(v) for v in values})


class UserInviteSpec(ResourceSpec):
    kind = "UserInvite"
    inputs = UserInviteInputs
    collection = "/user_invites"
    id_pattern, id_example = NUMBER_ID, "42"
    outputs = (
        "invite_link",
        "expires_at",
        "invited_by",
        "claimed_by",
        "claimed_at",
        "user_type",
        "created_at",
    )
    secret_outputs = ("invite_link",)  # whoever has the link can join the organisation
    natural_key = ("email",)

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"email": inputs["email"]}
        if inputs.get("default_group_ids") is not None:
            body["defaultGroupIds"] = _group_ids(inputs["default_group_ids"])
        if inputs.get("metadata") is not None:
            body["metadata"] = normalize(dict(inputs["metadata"]))
        return dict(client.post(self.collection, json=body))

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "email": obj.get("invited_email"),
            "default_group_ids": sorted(int(g["id"]) for g in obj.get("groups") or []),
            "metadata": dict(obj.get("metadata") or {}),
        }

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Groups are joined and left through the group endpoints, metadata key by key."""
        live = client.get(self.item_path(id_))
        current = self.to_inputs(live)
        if news.get("default_group_ids") is not None:
            have, want = set(current["default_group_ids"]), set(_group_ids(news["default_group_ids"]))
            for gid in sorted(want - have):
                client.post(
                    api_path("/groups/{}/user_invites", gid),
                    json={"userInviteIds": [int(id_)]},
                    retry_safe=True,
                )
            for gid in sorted(have - want):
                try:
                    client.delete(api_path("/groups/{}/user_invites/{}", gid, id_))
                except NotFoundError:
                    pass
        if news.get("metadata") is not None:
            have_meta, want_meta = current["metadata"], normalize(dict(news["metadata"]))
            for key in sorted(set(have_meta) - set(want_meta)):
                client.delete(api_path("/user_invites/{}/user_attributes/{}", id_, key))
            for key, value in sorted(want_meta.items()):
                if key not in have_meta or not same(have_meta[key], value):
                    client.post(
                        api_path("/user_invites/{}/user_attributes", id_),
                        json={"name": key, "value": value},
                        retry_safe=True,
                    )
        return dict(client.get(self.item_path(id_)))


class UserInvite(RetoolResource):
    """An invitation to join the organisation. Changing `email` replaces it; groups and metadata
    are updated in place. The `invite_link` output is a secret (anyone holding it can join).
    Destroying it deletes the invitation. Adopt an existing invite with its number:
    `adopt_id="42"`."""

    email: pulumi.Output[str]
    default_group_ids: pulumi.Output[list[int] | None]
    metadata: pulumi.Output[dict[str, str] | None]
    invite_link: pulumi.Output[str]
    expires_at: pulumi.Output[str]
    invited_by: pulumi.Output[str]
    claimed_by: pulumi.Output[str | None]
    claimed_at: pulumi.Output[str | None]
    user_type: pulumi.Output[str | None]
    created_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        email: pulumi.Input[str],
        default_group_ids: pulumi.Input[Sequence[pulumi.Input[str] | pulumi.Input[int]]] | None = None,
        metadata: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
