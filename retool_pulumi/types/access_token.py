"""API access tokens."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import pulumi
from pydantic import Field, field_validator

from ..client import RetoolClient
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..errors import NotFoundError
from ._common import UUID
from ._extra import log, scope_set, unchangeable


class AccessTokenInputs(Inputs):
    label: Annotated[str, REPLACE, Field(min_length=2, description="The name of the access token.")]
    scopes: Annotated[
        list[Annotated[str, Field(min_length=1)]],
        REPLACE,
        Field(min_length=1, description="The scopes the token grants, e.g. `apps:read`."),
    ]
    description: Annotated[
        str | None, REPLACE, Field(description="A short, user-facing description of the access token.")
    ] = None

    @field_validator("scopes")
    @classmethod
    def _as_a_set(cls, value: list[str]) -> list[str]:
        return scope_set(value)


class AccessTokenSpec(ResourceSpec):
    kind = "AccessToken"
    inputs = AccessTokenInputs
    collection = "/access_tokens"
    id_pattern, id_example = UUID, "1c7e2d4a-5b6f-4a7b-8c9d-0e1f2a3b4c5d"
    outputs = ("access_token", "last4", "owner_legacy_id", "created_at", "updated_at")
    secret_outputs = ("access_token",)  # returned once, at creation; never in plain text in state

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        out = super().to_inputs(obj)
        if isinstance(out.get("scopes"), list):
            out["scopes"] = scope_set(out["scopes"])
        return out

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        unchangeable(self.kind, olds, news)
        found = self.read_object(client, id_, news)
        if found is None:
            raise NotFoundError(404, "GET", self.item_path(id_), f"AccessToken {id_} no longer exists")
        return found

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        label = props.get("label", "?")
        log.warning(
            "AccessToken %s (%r): Retool's API cannot revoke access tokens, so the token still "
            "works. Revoke it in Retool (Settings > API) now.",
            id_,
            label,
        )


class AccessToken(RetoolResource):
    """A Retool API access token. The token itself is returned only once, at creation: it is
    the `access_token` output, always a Pulumi secret (encrypted in state, never shown).

    Retool cannot change a token, so changing any field replaces it (a new token). **Retool's
    API cannot revoke tokens either: destroying or replacing this resource only forgets the old
    token, which keeps working until you revoke it in Retool (Settings > API); a warning
    naming the token is logged.** Adopt an existing token with its UUID (`adopt_id="1c7e…"`);
    its value cannot be read back, so `access_token` is then empty."""

    label: pulumi.Output[str]
    scopes: pulumi.Output[list[str]]
    description: pulumi.Output[str | None]
    access_token: pulumi.Output[str]
    last4: pulumi.Output[str]
    owner_legacy_id: pulumi.Output[int]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        label: pulumi.Input[str],
        scopes: pulumi.Input[Sequence[pulumi.Input[str]]],
        description: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
