"""User attributes: the organisation's definitions, and one user's value of one attribute."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field

from ..client import RetoolClient, api_path
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..errors import NotFoundError
from ._common import USER_ID, UUID, joined_id
from ._extra import split_id

ATTRIBUTE_NAME = r"^[a-z0-9\_]+$"


class UserAttributeInputs(Inputs):
    name: Annotated[
        str,
        REPLACE,
        Field(
            pattern=ATTRIBUTE_NAME,
            min_length=1,
            max_length=255,
            description="The name of the user attribute: lower-case letters, digits and underscores.",
        ),
    ]
    label: Annotated[str, Field(min_length=2, description="A short description of the user attribute.")]
    data_type: Annotated[
        Literal["string", "number", "json"], Field(description="The data type of the attribute.")
    ]
    default_value: Annotated[
        str | None, Field(description="A default value for users that don't have the attribute set.")
    ] = None


class UserAttributeSpec(ResourceSpec):
    kind = "UserAttribute"
    inputs = UserAttributeInputs
    collection = "/user_attributes"
    id_pattern, id_example = UUID, "7d3c4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
    outputs = ("intercom_attribute_name",)
    delete_before_replace = True  # names are unique
    natural_key = ("name",)

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # Creation takes camelCase fields; everything else (reads, PATCH paths) is snake_case.
        body = {"name": inputs["name"], "label": inputs["label"], "dataType": inputs["data_type"]}
        if inputs.get("default_value") is not None:
            body["defaultValue"] = inputs["default_value"]
        return dict(client.post(self.collection, json=body))

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        # There is no GET of one attribute: find it in the list.
        return next((dict(a) for a in client.paginate(self.collection) if str(a.get("id")) == id_), None)


class UserAttribute(RetoolResource):
    """An organisation-level user attribute definition. Changing `name` replaces it (the old one
    is deleted first, since names are unique); the values users already have stay in their
    metadata. Adopt an existing definition with its UUID: `adopt_id="7d3c…"`."""

    name: pulumi.Output[str]
    label: pulumi.Output[str]
    data_type: pulumi.Output[str]
    default_value: pulumi.Output[str | None]
    intercom_attribute_name: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        label: pulumi.Input[str],
        data_type: pulumi.Input[str],
        default_value: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)


class UserAttributeValueInputs(Inputs):
    user_id: Annotated[
        str, REPLACE, Field(pattern=USER_ID, description="The unique identifier for the user (user_<hex>).")
    ]
    attribute_name: Annotated[
        str,
        REPLACE,
        Field(
            pattern=ATTRIBUTE_NAME,
            min_length=1,
            description="The name of an existing user attribute (lower-case letters, digits, underscores).",
        ),
    ]
    value: Annotated[str, Field(description="The value of the user attribute.")]


class UserAttributeValueSpec(ResourceSpec):
    kind = "UserAttributeValue"
    inputs = UserAttributeValueInputs
    collection = "/users"
    id_pattern, id_example = joined_id(USER_ID, ATTRIBUTE_NAME), "user_ab12/department"

    def object_id(self, obj: Mapping[str, Any]) -> str:
        return f"{obj['user_id']}/{obj['attribute_name']}"

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        body = {"name": inputs["attribute_name"], "value": inputs["value"]}
        # Create-or-update: safe to repeat.
        client.post(api_path("/users/{}/user_attributes", inputs["user_id"]), json=body, retry_safe=True)
        return {k: inputs[k] for k in ("user_id", "attribute_name", "value")}

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        if id_:
            user_id, name = split_id(self.kind, id_, 2, "user_ab12/department")
        else:
            user_id, name = str(props["user_id"]), str(props["attribute_name"])
        try:
            user = client.get(api_path("/users/{}", user_id))
        except NotFoundError:
            return None
        metadata = user.get("metadata") or {}
        if name not in metadata or metadata[name] is None:
            return None
        value = metadata[name]
        text = value if isinstance(value, str) else json.dumps(value)
        return {"user_id": user_id, "attribute_name": name, "value": text}

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self.create_object(client, news)

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        user_id, name = split_id(self.kind, id_, 2, "user_ab12/department")
        try:
            client.delete(api_path("/users/{}/user_attributes/{}", user_id, name))
        except NotFoundError:
            pass


class UserAttributeValue(RetoolResource):
    """One user's value of one user attribute (stored in the user's metadata). Changing the user
    or the attribute replaces it; changing `value` updates it; destroying it removes the
    attribute from the user. The id is `<user_id>/<attribute_name>`; adopt an existing value with
    `adopt_id="user_ab12/department"`. Don't also declare that key in `User(metadata=...)`."""

    user_id: pulumi.Output[str]
    attribute_name: pulumi.Output[str]
    value: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        user_id: pulumi.Input[str],
        attribute_name: pulumi.Input[str],
        value: pulumi.Input[str],
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
