"""Group membership: one user in one group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import pulumi
from pydantic import BeforeValidator, Field

from ..client import RetoolClient, api_path
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..errors import NotFoundError
from ._common import USER_ID, joined_id
from ._extra import GROUP_ID, number_as_text, split_id


class GroupMemberInputs(Inputs):
    group_id: Annotated[
        str,
        REPLACE,
        BeforeValidator(number_as_text),
        Field(pattern=GROUP_ID, description="The group's ID number."),
    ]
    user_id: Annotated[
        str, REPLACE, Field(pattern=USER_ID, description="The unique identifier for the user (user_<hex>).")
    ]
    is_group_admin: Annotated[bool, Field(description="Whether the user is a group admin.")] = False


class GroupMemberSpec(ResourceSpec):
    kind = "GroupMember"
    inputs = GroupMemberInputs
    collection = "/groups"
    id_pattern, id_example = joined_id(GROUP_ID, USER_ID), "12/user_ab12"

    def object_id(self, obj: Mapping[str, Any]) -> str:
        return f"{obj['group_id']}/{obj['user_id']}"

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        member = {"id": inputs["user_id"], "is_group_admin": bool(inputs.get("is_group_admin", False))}
        # Adding a member twice only sets its admin flag: safe to repeat.
        path = api_path("/groups/{}/members", inputs["group_id"])
        client.post(path, json={"members": [member]}, retry_safe=True)
        return {"group_id": inputs["group_id"], "user_id": inputs["user_id"], **_flag(member)}

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        group_id, user_id = split_id(self.kind, id_, 2, "12/user_ab12") if id_ else _ids(props)
        try:
            group = client.get(api_path("/groups/{}", group_id))
        except NotFoundError:
            return None
        for member in group.get("members") or []:
            if member.get("id") == user_id:
                return {"group_id": group_id, "user_id": user_id, **_flag(member)}
        return None

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self.create_object(client, news)  # the same call sets the admin flag

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        group_id, user_id = split_id(self.kind, id_, 2, "12/user_ab12")
        try:
            client.delete(api_path("/groups/{}/members/{}", group_id, user_id))
        except NotFoundError:
            pass  # the group, the user or the membership is gone already


def _ids(props: Mapping[str, Any]) -> list[str]:
    return [str(props["group_id"]), str(props["user_id"])]


def _flag(member: Mapping[str, Any]) -> dict[str, Any]:
    return {"is_group_admin": bool(member.get("is_group_admin", False))}


class GroupMember(RetoolResource):
    """One user's membership of one group (`is_group_admin` makes them an admin of it).

    Changing the group or the user replaces the membership; changing `is_group_admin` updates it.
    The id is `<group_id>/<user_id>`; adopt an existing membership with `adopt_id="12/user_ab12"`.
    Destroying it removes the user from the group (the user stays in Retool). Don't also manage
    the same group's members some other way."""

    group_id: pulumi.Output[str]
    user_id: pulumi.Output[str]
    is_group_admin: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        group_id: pulumi.Input[str] | pulumi.Input[int],
        user_id: pulumi.Input[str],
        is_group_admin: pulumi.Input[bool] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Group ids are numbers in Retool; accept them as given and compare as strings.
        group_id = pulumi.Output.from_input(group_id).apply(str)
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
