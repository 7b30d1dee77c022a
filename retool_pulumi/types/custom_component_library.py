"""Custom component libraries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

import pulumi
from pydantic import Field

from ..client import RetoolClient
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ..errors import NotFoundError
from ._common import UUID
from ._extra import log, unchangeable


class CustomComponentLibraryInputs(Inputs):
    name: Annotated[
        str,
        REPLACE,
        Field(min_length=1, description="How the library is referred to in Toolscript and other code."),
    ]
    label: Annotated[
        str, REPLACE, Field(min_length=1, description="How the library is referred to in the Retool UI.")
    ]
    description: Annotated[str | None, REPLACE, Field(description="What the library is for.")] = None


# Namespace of the library ids the provider chooses (uuid5 of the name).
_LIBRARY_IDS = uuid.UUID("5430a09a-344d-4e5b-9d5c-d37a583edc9d")


def library_id(name: str) -> str:
    """The id the provider gives a new library named `name`: the same on every try, so a create
    whose answer was lost is found again (Retool cannot list libraries without an id)."""
    return str(uuid.uuid5(_LIBRARY_IDS, name))


class CustomComponentLibrarySpec(ResourceSpec):
    kind = "CustomComponentLibrary"
    inputs = CustomComponentLibraryInputs
    collection = "/custom_component_libraries"
    id_pattern, id_example = UUID, "5d1f0c3e-8a2b-4c6d-9e0f-1a2b3c4d5e6f"
    outputs = ("created_at", "updated_at")
    natural_key = ("name",)

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        body = {
            **self.body(inputs),
            "description": inputs.get("description"),  # required, nullable
            "id": library_id(str(inputs["name"])),  # POST takes the id (made to sync instances)
        }
        return dict(client.post(self.collection, json=body))

    def find_existing(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The library with the id `create_object` chose: GET /custom_component_libraries
        requires `libraryId`, so there is no listing to search by name."""
        found = self.read_object(client, library_id(str(inputs.get("name"))), inputs)
        return found if found is not None and found.get("name") == inputs.get("name") else None

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        unchangeable(self.kind, olds, news)
        found = self.read_object(client, id_, news)
        if found is None:
            raise NotFoundError(
                404, "GET", self.item_path(id_), f"CustomComponentLibrary {id_} no longer exists"
            )
        return found

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        log.warning(
            "CustomComponentLibrary %s (%r): Retool's API cannot delete custom component libraries; "
            "it stays in Retool. Delete it in Retool if it is no longer needed.",
            id_,
            props.get("name", "?"),
        )


class CustomComponentLibrary(RetoolResource):
    """A custom component library (its revisions are published with Retool's CLI).

    Retool's API can neither change nor delete a library: changing any field creates a new
    library (with a new `name`: the old one keeps its name), and destroying the resource leaves
    the library in Retool, logging a warning that says so. A new library's id is derived from
    its name (Retool's POST takes an id), so a create whose answer was lost is found again
    rather than repeated. Adopt an existing library with its UUID: `adopt_id="5d1f…"`."""

    name: pulumi.Output[str]
    label: pulumi.Output[str]
    description: pulumi.Output[str | None]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        label: pulumi.Input[str],
        description: pulumi.Input[str] | None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
