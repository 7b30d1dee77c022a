"""Roles (sets of scopes) and role grants (a role given to a user or group)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

import pulumi
from pydantic import BeforeValidator, Field, field_validator, model_validator

from ..client import RetoolClient, api_path
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..engine.values import same
from ..errors import NotFoundError, RetoolError
from ._common import USER_ID, UUID
from ._extra import number_as_text, scope_set, unchangeable

ROLES = "/role_permissions/roles"
GRANTS = "/role_permissions/role_grants"
Scope = Annotated[str, Field(min_length=1)]


class RoleInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the role.")]
    object_scopes: Annotated[list[Scope], Field(description="The object scopes of the role.")]
    organization_scopes: Annotated[list[Scope], Field(description="The organization scopes of the role.")]
    description: Annotated[str | None, Field(description="The description of the role.")] = None

    @field_validator("object_scopes", "organization_scopes")
    @classmethod
    def _as_a_set(cls, value: list[str]) -> list[str]:
        return scope_set(value)


class RoleSpec(ResourceSpec):
    kind = "Role"
    inputs = RoleInputs
    collection = ROLES
    id_pattern, id_example = UUID, "4f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f"
    outputs = (
        "organization_id",
        "is_default_role",
        "is_legacy_role",
        "added_dependent_scopes",
        "created_at",
        "updated_at",
    )
    natural_key = ("name",)

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        out = super().to_inputs(obj)
        for field in ("object_scopes", "organization_scopes"):
            if isinstance(out.get(field), list):
                out[field] = scope_set(out[field])
        return out

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        # There is no GET of one role: find it in the list.
        return next((dict(r) for r in client.paginate(ROLES) if str(r.get("id")) == id_), None)

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        # PATCH takes the changed fields themselves (no JSON Patch operations).
        old, new = self.body(olds), self.body(news)
        changed = {k: v for k, v in new.items() if not same(old.get(k), v)}
        if not changed:
            found = self.read_object(client, id_, news)
            if found is None:
                raise NotFoundError(404, "GET", ROLES, f"Role {id_} no longer exists")
            return found
        return dict(client.patch(self.item_path(id_), json=changed))


class Role(RetoolResource):
    """A custom role: a named set of object and organization scopes (stored sorted, as sets).
    Every field updates in place. Destroying it deletes the role and its grants. Adopt an
    existing role with its UUID: `adopt_id="4f0c…"`."""

    name: pulumi.Output[str]
    object_scopes: pulumi.Output[list[str]]
    organization_scopes: pulumi.Output[list[str]]
    description: pulumi.Output[str | None]
    organization_id: pulumi.Output[str]
    is_default_role: pulumi.Output[bool]
    is_legacy_role: pulumi.Output[bool]
    added_dependent_scopes: pulumi.Output[list[str]]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        object_scopes: pulumi.Input[Sequence[pulumi.Input[str]]],
        organization_scopes: pulumi.Input[Sequence[pulumi.Input[str]]],
        description: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)


class RoleGrantInputs(Inputs):
    role_id: Annotated[str, REPLACE, Field(min_length=1, description="The id (UUID) of the role.")]
    subject_type: Annotated[
        Literal["user", "group"], REPLACE, Field(description="Who is granted the role: a user or a group.")
    ]
    subject_id: Annotated[
        str,
        REPLACE,
        BeforeValidator(number_as_text),
        Field(min_length=1, description="The user id (user_<hex>) or the group ID number."),
    ]
    object_type: Annotated[
        str | None,
        REPLACE,
        Field(min_length=1, description="The type of the object the grant is limited to."),
    ] = None
    object_id: Annotated[
        str | None, REPLACE, Field(min_length=1, description="The id of the object the grant is limited to.")
    ] = None

    @model_validator(mode="after")
    def _consistent(self) -> RoleGrantInputs:
        if self.subject_type == "group" and not self.subject_id.isdigit():
            raise ValueError(f"subject_id: a group id is a number, got {self.subject_id!r}")
        if self.subject_type == "user" and not re.match(USER_ID, self.subject_id):
            raise ValueError(f"subject_id: a user id looks like user_<hex>, got {self.subject_id!r}")
        if (self.object_type is None) != (self.object_id is None):
            raise ValueError("object_id: set object_type and object_id together, or neither")
        return self


class RoleGrantSpec(ResourceSpec):
    kind = "RoleGrant"
    inputs = RoleGrantInputs
    collection = GRANTS
    id_pattern, id_example = UUID, "9a1e2b3c-4d5e-4f6a-8b7c-8d9e0f1a2b3c"
    outputs = ("created_at",)
    managed_when_none = ("object_type", "object_id")  # None is "the whole organisation"
    natural_key = ("role_id", "subject_type", "subject_id", "object_type", "object_id")

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        out = super().to_inputs(obj)
        if out.get("subject_id") is not None:
            out["subject_id"] = str(number_as_text(out["subject_id"]))
        return out

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """POST, then find the new grant among the subject's: the spec's 201 has no content, so
        the answer is used only if it is a grant after all."""
        body = {k: v for k, v in inputs.items() if v is not None}
        answer = client.post(GRANTS, json=body)
        if isinstance(answer, Mapping) and answer.get("id"):
            return dict(answer)
        found = self.find_existing(client, inputs)
        if found is None:
            raise RetoolError(
                f"RoleGrant: Retool accepted the grant of role {inputs.get('role_id')} to "
                f"{inputs.get('subject_type')} {inputs.get('subject_id')} but does not list it under "
                f"GET {self._subject_path(inputs)}; run `pulumi refresh` and `pulumi up` again"
            )
        return found

    def _subject_path(self, props: Mapping[str, Any]) -> str:
        if props.get("subject_type") and props.get("subject_id"):
            return api_path(f"{GRANTS}/{{}}/{{}}", props["subject_type"], props["subject_id"])
        return GRANTS

    def _grants(self, client: RetoolClient, props: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """The subject's grants, or None when the subject is gone (and its grants with it)."""
        try:
            return [dict(g) for g in client.paginate(self._subject_path(props)) if isinstance(g, Mapping)]
        except NotFoundError:
            return None

    def find_existing(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The subject's grant of the role on the same object (or on the whole organisation)."""
        for grant in self._grants(client, inputs) or []:
            found = self.to_inputs(grant)
            if grant.get("id") and all(same(found.get(k), inputs.get(k)) for k in self.natural_key):
                return grant
        return None

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        grants = self._grants(client, props)
        return next((g for g in grants or [] if str(g.get("id")) == id_), None)

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        unchangeable(self.kind, olds, news)
        found = self.read_object(client, id_, news)
        if found is None:
            raise NotFoundError(404, "GET", GRANTS, f"RoleGrant {id_} no longer exists")
        return found


class RoleGrant(RetoolResource):
    """A role granted to a user or a group, optionally limited to one object (`object_type` and
    `object_id` together). Retool cannot change a grant, so changing any field replaces it.
    Destroying it deletes the grant. Adopt an existing grant with its UUID: `adopt_id="9a1e…"`."""

    role_id: pulumi.Output[str]
    subject_type: pulumi.Output[str]
    subject_id: pulumi.Output[str]
    object_type: pulumi.Output[str | None]
    object_id: pulumi.Output[str | None]
    created_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        role_id: pulumi.Input[str],
        subject_type: pulumi.Input[str],
        subject_id: pulumi.Input[str] | pulumi.Input[int],
        object_type: pulumi.Input[str] | None = None,
        object_id: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        subject_id = pulumi.Output.from_input(subject_id).apply(str)
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
