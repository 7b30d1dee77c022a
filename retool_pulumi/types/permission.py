"""Permission grants: one subject's access level to one object."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, field_validator, model_validator

from ..client import RetoolClient
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..errors import NotFoundError, UnexpectedResponseError
from ._common import FOLDER_ID, USER_ID, AccessLevel, joined_id
from ._extra import GROUP_ID

ObjectType = Literal["app", "folder", "resource", "resource_configuration", "screen"]
_LISTABLE = ("app", "folder", "resource", "resource_configuration")


class PermissionInputs(Inputs):
    subject_type: Annotated[Literal["user", "group"], REPLACE, Field(description="Who is granted access.")]
    subject_id: Annotated[str, REPLACE, Field(min_length=1, description="The user id or the group id.")]
    object_type: Annotated[ObjectType, REPLACE, Field(description="What access is granted to.")]
    object_id: Annotated[str, REPLACE, Field(min_length=1, description="The object's id.")]
    access_level: Annotated[AccessLevel, Field(description="use, edit or own.")]
    app_id: Annotated[str | None, REPLACE, Field(description="The app of a screen (object_type screen).")] = (
        None
    )

    @field_validator("subject_id", mode="before")
    @classmethod
    def _group_id_as_text(cls, value: Any) -> Any:
        # Group ids are numbers in Retool, and the engine sends numbers as floats (5.0).
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _ids_fit_types(self) -> PermissionInputs:
        import re

        if self.subject_type == "group" and not self.subject_id.isdigit():
            raise ValueError(f"subject_id: a group id is a number, got {self.subject_id!r}")
        if self.subject_type == "user" and not re.match(USER_ID, self.subject_id):
            raise ValueError(f"subject_id: a user id looks like user_<hex>, got {self.subject_id!r}")
        if self.object_type == "folder" and not re.match(FOLDER_ID, self.object_id):
            raise ValueError(f"object_id: a folder id looks like app_12, got {self.object_id!r}")
        if (self.object_type == "screen") != (self.app_id is not None):
            raise ValueError("app_id: set it exactly when object_type is 'screen' (the screen's app)")
        return self


def _subject(inputs: Mapping[str, Any]) -> dict[str, Any]:
    sid = inputs["subject_id"]
    return {"type": inputs["subject_type"], "id": int(sid) if inputs["subject_type"] == "group" else sid}


def _object(inputs: Mapping[str, Any]) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": inputs["object_type"], "id": inputs["object_id"]}
    if inputs.get("app_id"):
        obj["appId"] = inputs["app_id"]
    return obj


def _list_objects(client: RetoolClient, body: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every grant of a listObjects answer, following `next_token` while `has_more` (production's
    answers carry both; the token goes back as a query parameter, the body allows nothing else).
    An answer that is no list of grants is an error, never "revoked"."""
    for item in client.paginate("/permissions/listObjects", method="POST", json=dict(body)):
        if not isinstance(item, Mapping):
            raise UnexpectedResponseError(200, "POST", "/permissions/listObjects", "the answer holds no list")
        yield dict(item)


class PermissionSpec(ResourceSpec):
    kind = "Permission"
    inputs = PermissionInputs
    collection = "/permissions"
    id_pattern = joined_id(
        f"(user/{USER_ID[1:-1]}|group/{GROUP_ID[1:-1]})",
        "(app|folder|resource|resource_configuration|screen)",
        r"[A-Za-z0-9_-]+",
    )
    id_example = "group/12/folder/app_3"
    create_repeatable = True  # a grant is idempotent

    def object_id(self, obj: Mapping[str, Any]) -> str:
        parts = [obj["subject_type"], obj["subject_id"], obj["object_type"], obj["object_id"]]
        return "/".join(str(p) for p in parts)

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        body = {
            "subject": _subject(inputs),
            "object": _object(inputs),
            "access_level": inputs["access_level"],
        }
        client.post("/permissions/grant", json=body, retry_safe=True)  # a grant is idempotent
        return dict(inputs)

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self.create_object(client, news)

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        if props.get("object_type") not in _LISTABLE:
            # Retool cannot list screen grants; the declared grant stands.
            return dict(self.inputs_of(props))
        body = {"subject": _subject(props), "object_type": props["object_type"]}
        try:
            for grant in _list_objects(client, body):
                if str(grant.get("id")) == str(props["object_id"]):
                    return {**self.inputs_of(props), "access_level": grant.get("access_level")}
        except NotFoundError:
            return None  # the subject is gone, and its grants with it
        return None

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        body = {"subject": _subject(props), "object": _object(props)}
        try:
            client.post("/permissions/revoke", json=body, retry_safe=True)
        except NotFoundError:
            pass  # the subject or the object is gone, and the grant with it


class Permission(RetoolResource):
    """One grant: `subject` (a user or group) gets `access_level` (use, edit, own) on an object
    (app, folder, resource, resource_configuration or screen). Changing the subject or the object
    replaces the grant; changing the level updates it. Read back through listObjects, so a grant
    revoked in Retool shows up as drift (screen grants cannot be listed by Retool's API). Adopt
    an existing grant with `adopt_id="group/12/folder/app_3"` (no grant request is sent when the
    level already matches)."""

    subject_type: pulumi.Output[str]
    subject_id: pulumi.Output[str]
    object_type: pulumi.Output[str]
    object_id: pulumi.Output[str]
    access_level: pulumi.Output[str]
    app_id: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        subject_type: pulumi.Input[str],
        subject_id: pulumi.Input[str],
        object_type: pulumi.Input[str],
        object_id: pulumi.Input[str],
        access_level: pulumi.Input[str],
        app_id: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Group ids are numbers in Retool; accept them as given and compare as strings.
        subject_id = pulumi.Output.from_input(subject_id).apply(str)
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
