"""Folders of apps, workflows, resources, agents, libraries and files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import pulumi
from pydantic import Field

from ..client import RetoolClient
from ..engine import REPLACE, Inputs, ResourceSpec, RetoolResource
from ._common import FOLDER_ID, FolderType, root_folder_id


class FolderInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the folder.")]
    folder_type: Annotated[FolderType, REPLACE, Field(description="What the folder holds.")]
    parent_folder_id: Annotated[
        str | None, Field(pattern=FOLDER_ID, description="The parent folder; None means the root folder.")
    ] = None


class FolderSpec(ResourceSpec):
    kind = "Folder"
    inputs = FolderInputs
    collection = "/folders"
    id_pattern, id_example = FOLDER_ID, "app_12"
    outputs = ("legacy_id", "is_system_folder", "created_at", "updated_at")
    patch_replace_only = False
    natural_key = ("name", "folder_type", "parent_folder_id")
    batch_reads = True  # list items carry every field of the GET
    managed_when_none = ("parent_folder_id",)  # None is the root folder: a move away is drift

    def resolve(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(inputs)
        if out.get("parent_folder_id") is None and "folder_type" in out:
            out["parent_folder_id"] = root_folder_id(client, out["folder_type"])
        return out

    def unresolve(self, client: RetoolClient, obj: dict[str, Any]) -> dict[str, Any]:
        parent = obj.get("parent_folder_id")
        if parent is not None and parent == root_folder_id(client, obj["folder_type"]):
            return {**obj, "parent_folder_id": None}
        return obj


class Folder(RetoolResource):
    """A Retool folder. Changing `folder_type` replaces it; `parent_folder_id=None` puts it in
    the root folder of its type. Adopt an existing folder with `adopt_id="app_12"`."""

    name: pulumi.Output[str]
    folder_type: pulumi.Output[str]
    parent_folder_id: pulumi.Output[str | None]
    legacy_id: pulumi.Output[str]
    is_system_folder: pulumi.Output[bool]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        folder_type: pulumi.Input[str],
        parent_folder_id: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
