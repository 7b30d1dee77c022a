"""Permission groups."""

from __future__ import annotations

from typing import Annotated, Literal

import pulumi
from pydantic import Field

from ..engine import Inputs, ResourceSpec, RetoolResource
from ._common import UniversalAccess
from ._extra import GROUP_ID


class GroupInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the group.")]
    universal_app_access: Annotated[UniversalAccess, Field(description="Access to every app.")] = "none"
    universal_resource_access: Annotated[UniversalAccess, Field(description="Access to every resource.")] = (
        "none"
    )
    universal_workflow_access: Annotated[UniversalAccess, Field(description="Access to every workflow.")] = (
        "none"
    )
    universal_query_library_access: Annotated[
        Literal["none", "use", "edit"], Field(description="Access to the Query Library.")
    ] = "none"
    user_list_access: Annotated[bool, Field(description="May see the list of users.")] = False
    audit_log_access: Annotated[bool, Field(description="May see the audit log.")] = False
    unpublished_release_access: Annotated[bool, Field(description="May see unpublished releases.")] = False
    usage_analytics_access: Annotated[bool, Field(description="May see usage analytics.")] = False
    theme_access: Annotated[bool, Field(description="May edit themes.")] = False
    account_details_access: Annotated[bool, Field(description="May edit account details.")] = False
    landing_page_app_id: Annotated[str | None, Field(description="App members land on.")] = None


class GroupSpec(ResourceSpec):
    kind = "Group"
    inputs = GroupInputs
    collection = "/groups"
    id_pattern, id_example = GROUP_ID, "12"
    outputs = ("legacy_id", "created_at", "updated_at")
    # PATCH touches only the fields that changed; PUT would also reset `members`.
    update_style = "patch"
    natural_key = ("name",)
    batch_reads = True  # list items carry every field of the GET
    managed_when_none = ("landing_page_app_id",)  # None is "no landing page", like the other defaults


class Group(RetoolResource):
    """A Retool permission group. Updates never touch its members (manage them with
    `GroupMember`). Adopt an existing group with `adopt_id="12"`."""

    name: pulumi.Output[str]
    universal_app_access: pulumi.Output[str]
    universal_resource_access: pulumi.Output[str]
    universal_workflow_access: pulumi.Output[str]
    universal_query_library_access: pulumi.Output[str]
    user_list_access: pulumi.Output[bool]
    audit_log_access: pulumi.Output[bool]
    unpublished_release_access: pulumi.Output[bool]
    usage_analytics_access: pulumi.Output[bool]
    theme_access: pulumi.Output[bool]
    account_details_access: pulumi.Output[bool]
    landing_page_app_id: pulumi.Output[str | None]
    legacy_id: pulumi.Output[int]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        universal_app_access: pulumi.Input[str] | None = None,
        universal_resource_access: pulumi.Input[str] | None = None,
        universal_workflow_access: pulumi.Input[str] | None = None,
        universal_query_library_access: pulumi.Input[str] | None = None,
        user_list_access: pulumi.Input[bool] | None = None,
        audit_log_access: pulumi.Input[bool] | None = None,
        unpublished_release_access: pulumi.Input[bool] | None = None,
        usage_analytics_access: pulumi.Input[bool] | None = None,
        theme_access: pulumi.Input[bool] | None = None,
        account_details_access: pulumi.Input[bool] | None = None,
        landing_page_app_id: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
