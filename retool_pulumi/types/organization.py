"""Organisation-wide settings and AI settings: singletons that always exist in Retool."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field

from ..client import RetoolClient
from ..engine import Inputs, ResourceSpec, RetoolResource
from ..engine.values import same
from ._extra import log


class OrganizationSettingsInputs(Inputs):
    request_access_enabled: Annotated[
        bool | None, Field(description="Whether users can request access to join the organization.")
    ] = None
    ai_support_bot_disabled: Annotated[
        bool | None, Field(description="Whether the AI support bot is disabled.")
    ] = None
    retool_forms_disabled: Annotated[bool | None, Field(description="Whether Retool forms are disabled.")] = (
        None
    )
    release_management_enabled: Annotated[
        bool | None, Field(description="Whether versions and releases of apps are enabled.")
    ] = None
    cache_queries_per_user: Annotated[
        bool | None, Field(description="Whether query caches are per user.")
    ] = None
    apply_preloaded_css_to_homepage: Annotated[
        bool | None, Field(description="Whether preloaded CSS is applied to the Retool homepage.")
    ] = None
    preloaded_css: Annotated[str | None, Field(description="Custom CSS rules to apply across Retool.")] = None
    preloaded_javascript: Annotated[
        str | None, Field(description="Preloaded JavaScript that applies to every Retool app.")
    ] = None
    javascript_links: Annotated[
        list[str] | None, Field(description="Links to JavaScript libraries loaded in every app.")
    ] = None
    workflow_run_retention_period_mins: Annotated[
        int | None,
        Field(
            gt=0,
            description="Minutes to keep workflow run history (up to 90 days on cloud, 1 year on-prem).",
        ),
    ] = None
    app_owners_permissions_management: Annotated[
        bool | None, Field(description="Whether app owners can manage permissions for their apps directly.")
    ] = None
    two_factor_auth_required: Annotated[
        bool | None, Field(description="Whether two-factor authentication is required for all users.")
    ] = None
    two_factor_auth_type: Annotated[
        Literal["fido2", "otp"] | None,
        Field(description="The required 2FA type, for the whole organization."),
    ] = None
    disable_new_login_ip_notification_email: Annotated[
        bool | None, Field(description="Whether emails about logins from new IPs are disabled.")
    ] = None


class OrganizationSettingsSpec(ResourceSpec):
    kind = "OrganizationSettings"
    inputs = OrganizationSettingsInputs
    collection = "/organization/"
    outputs = ("organization_id",)
    singleton = True
    singleton_id = "organization"

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        org = dict(client.get(self.collection))
        return {**org, "organization_id": org.get("id")}

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        raise AssertionError("the organization always exists")  # singletons adopt

    def patch_operations(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[dict[str, Any]]:
        # Only the declared settings: one the program stops declaring is left as it is.
        old, new = self.body(olds), self.body(news)
        return [
            {"op": "replace", "path": f"/{k}", "value": v}
            for k, v in sorted(new.items())
            if not same(old.get(k), v)
        ]

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        updated = super().update_object(client, id_, olds, news)
        return {**updated, "organization_id": updated.get("id")}

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        log.warning(
            "OrganizationSettings: the organization's settings are left as they are in Retool "
            "(they cannot be deleted); Pulumi no longer manages them."
        )


class OrganizationSettings(RetoolResource):
    """The organization's advanced settings (a singleton: creating it adopts the organization).

    Only the settings you declare are managed; the others are left as they are in Retool and
    never cause a diff. Destroying the resource leaves every setting as it is (nothing is reset)
    and logs a warning saying so. The id is always `organization`."""

    request_access_enabled: pulumi.Output[bool | None]
    ai_support_bot_disabled: pulumi.Output[bool | None]
    retool_forms_disabled: pulumi.Output[bool | None]
    release_management_enabled: pulumi.Output[bool | None]
    cache_queries_per_user: pulumi.Output[bool | None]
    apply_preloaded_css_to_homepage: pulumi.Output[bool | None]
    preloaded_css: pulumi.Output[str | None]
    preloaded_javascript: pulumi.Output[str | None]
    javascript_links: pulumi.Output[list[str] | None]
    workflow_run_retention_period_mins: pulumi.Output[int | None]
    app_owners_permissions_management: pulumi.Output[bool | None]
    two_factor_auth_required: pulumi.Output[bool | None]
    two_factor_auth_type: pulumi.Output[str | None]
    disable_new_login_ip_notification_email: pulumi.Output[bool | None]
    organization_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        request_access_enabled: pulumi.Input[bool] | None = None,
        ai_support_bot_disabled: pulumi.Input[bool] | None = None,
        retool_forms_disabled: pulumi.Input[bool] | None = None,
        release_management_enabled: pulumi.Input[bool] | None = None,
        cache_queries_per_user: pulumi.Input[bool] | None = None,
        apply_preloaded_css_to_homepage: pulumi.Input[bool] | None = None,
        preloaded_css: pulumi.Input[str] | None = None,
        preloaded_javascript: pulumi.Input[str] | None = None,
        javascript_links: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        workflow_run_retention_period_mins: pulumi.Input[int] | None = None,
        app_owners_permissions_management: pulumi.Input[bool] | None = None,
        two_factor_auth_required: pulumi.Input[bool] | None = None,
        two_factor_auth_type: pulumi.Input[str] | None = None,
        disable_new_login_ip_notification_email: pulumi.Input[bool] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), connection=connection, opts=opts)


# snake_case input -> the API's camelCase field
AI_FIELDS = {
    "retool_ai": "retoolAI",
    "retool_ai_actions": "retoolAIActions",
    "retool_vector": "retoolVector",
    "retool_ask_ai": "retoolAskAI",
}


class AiSettingsInputs(Inputs):
    retool_ai: Annotated[
        bool | None,
        Field(description="Global switch for all Retool AI features; takes precedence over the others."),
    ] = None
    retool_ai_actions: Annotated[bool | None, Field(description="Whether Retool AI Actions are enabled.")] = (
        None
    )
    retool_vector: Annotated[bool | None, Field(description="Whether Retool Vector is enabled.")] = None
    retool_ask_ai: Annotated[bool | None, Field(description="Whether Retool Ask AI is enabled.")] = None


class AiSettingsSpec(ResourceSpec):
    kind = "AiSettings"
    inputs = AiSettingsInputs
    collection = "/organization/ai_settings"
    update_style = "put"
    singleton = True
    singleton_id = "ai_settings"

    def body(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        return {AI_FIELDS[k]: v for k, v in super().body(inputs).items() if k in AI_FIELDS}

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        return {snake: obj[camel] for snake, camel in AI_FIELDS.items() if camel in obj}

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        raise AssertionError("AI settings always exist")  # singletons adopt

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        # PUT takes every switch: the current ones are sent along with the declared ones, so the
        # switches the program does not declare stay as they are.
        current = client.get(self.collection)
        settings = {**(dict(current) if isinstance(current, Mapping) else {}), **self.body(news)}
        return dict(client.put(self.collection, json=settings))

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        log.warning(
            "AiSettings: the AI settings are left as they are in Retool (they cannot be deleted); "
            "Pulumi no longer manages them."
        )


class AiSettings(RetoolResource):
    """The organization's AI settings (a singleton: creating it adopts them). Only the switches
    you declare are managed. Destroying the resource leaves the settings as they are and logs a
    warning saying so. The id is always `ai_settings`."""

    retool_ai: pulumi.Output[bool | None]
    retool_ai_actions: pulumi.Output[bool | None]
    retool_vector: pulumi.Output[bool | None]
    retool_ask_ai: pulumi.Output[bool | None]

    def __init__(
        self,
        resource_name: str,
        *,
        retool_ai: pulumi.Input[bool] | None = None,
        retool_ai_actions: pulumi.Input[bool] | None = None,
        retool_vector: pulumi.Input[bool] | None = None,
        retool_ask_ai: pulumi.Input[bool] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), connection=connection, opts=opts)
