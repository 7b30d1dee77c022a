"""Source control (Git) configuration and settings: singletons of an organisation or space."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, model_validator

from ..client import RetoolClient
from ..engine import SECRET, Inputs, ResourceSpec, RetoolResource
from ..openapi import Checker, compile_schema, request_schema

Provider = Literal["GitHub", "GitLab", "AWS CodeCommit", "Bitbucket", "Azure Repos"]


@functools.cache
def _config_checker(provider: str) -> Checker:
    variants = request_schema("/source_control/config", "post")["properties"]["config"]["anyOf"]
    for variant in variants:
        if variant["properties"]["provider"].get("enum") == [provider]:
            return compile_schema(variant["properties"]["config"])
    return lambda value, loc: None


class SourceControlInputs(Inputs):
    provider: Annotated[Provider, Field(description="The Git host.")]
    org: Annotated[str, Field(min_length=1, description="The organisation or owner of the repository.")]
    repo: Annotated[str, Field(min_length=1, description="The repository.")]
    default_branch: Annotated[str, Field(min_length=1, description="The branch Retool deploys from.")]
    config: Annotated[dict[str, Any], SECRET, Field(description="Credentials and URLs for the provider.")]
    repo_version: Annotated[str | None, Field(description="Version of the repository layout.")] = None

    @model_validator(mode="after")
    def _config_fits_provider(self) -> SourceControlInputs:
        problem = _config_checker(self.provider)(self.config, "config")
        if problem:
            raise ValueError(f"{problem} for provider {self.provider}")
        return self


class SourceControlSpec(ResourceSpec):
    kind = "SourceControl"
    inputs = SourceControlInputs
    collection = "/source_control/config"
    update_style = "put"
    singleton = True
    singleton_id = "source_control"
    read_omits = ("config.type",)  # Bitbucket configs read back without `type`, even a sent one

    def body(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        return {"config": super().body(inputs)}

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # PUT creates as well as updates (the recordings show 201 the first time): idempotent.
        return dict(client.put(self.collection, json=self.body(inputs)))


class SourceControl(RetoolResource):
    """The organisation's source control configuration (a singleton: creating it adopts what is
    there). Credentials in `config` are Pulumi secrets; Retool masks them on read, so they never
    cause a diff. Destroying it removes source control from Retool."""

    provider: pulumi.Output[str]
    org: pulumi.Output[str]
    repo: pulumi.Output[str]
    default_branch: pulumi.Output[str]
    config: pulumi.Output[dict[str, Any]]
    repo_version: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        provider: pulumi.Input[str],
        org: pulumi.Input[str],
        repo: pulumi.Input[str],
        default_branch: pulumi.Input[str],
        config: pulumi.Input[Mapping[str, Any]],
        repo_version: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), connection=connection, opts=opts)


SETTINGS_DEFAULTS: dict[str, Any] = {
    "auto_branch_naming_enabled": True,
    "custom_pull_request_template_enabled": False,
    "custom_pull_request_template": "",
    "version_control_locked": False,
    "force_uuid_mapping": False,
    "auto_cleanup_branches_enabled": False,
}


class SourceControlSettingsInputs(Inputs):
    auto_branch_naming_enabled: Annotated[bool | None, Field(description="Suggest branch names.")] = None
    custom_pull_request_template_enabled: Annotated[bool | None, Field(description="Use the template.")] = (
        None
    )
    custom_pull_request_template: Annotated[str | None, Field(description="Pull request template.")] = None
    version_control_locked: Annotated[bool | None, Field(description="Lock edits to version control.")] = None
    force_uuid_mapping: Annotated[bool | None, Field(description="Map elements by UUID.")] = None
    auto_cleanup_branches_enabled: Annotated[bool | None, Field(description="Delete merged branches.")] = None

    @model_validator(mode="after")
    def _template_when_enabled(self) -> SourceControlSettingsInputs:
        if self.custom_pull_request_template_enabled and not self.custom_pull_request_template:
            raise ValueError(
                "custom_pull_request_template: set it when custom_pull_request_template_enabled is true"
            )
        return self


class SourceControlSettingsSpec(ResourceSpec):
    kind = "SourceControlSettings"
    inputs = SourceControlSettingsInputs
    collection = "/source_control/settings"
    singleton = True
    singleton_id = "source_control_settings"

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        # The spec says PUT overwrites every setting: send the current ones with the declared ones
        # on top, so the settings the program does not declare stay as they are in Retool.
        current = client.get(self.collection)
        settings = {**(dict(current) if isinstance(current, Mapping) else {}), **self.body(news)}
        return dict(client.put(self.collection, json={"settings": settings}))

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        client.put(self.collection, json={"settings": SETTINGS_DEFAULTS})


class SourceControlSettings(RetoolResource):
    """Source control settings (a singleton). Only the settings you declare are managed;
    destroying the resource restores Retool's defaults."""

    auto_branch_naming_enabled: pulumi.Output[bool | None]
    custom_pull_request_template_enabled: pulumi.Output[bool | None]
    custom_pull_request_template: pulumi.Output[str | None]
    version_control_locked: pulumi.Output[bool | None]
    force_uuid_mapping: pulumi.Output[bool | None]
    auto_cleanup_branches_enabled: pulumi.Output[bool | None]

    def __init__(
        self,
        resource_name: str,
        *,
        auto_branch_naming_enabled: pulumi.Input[bool] | None = None,
        custom_pull_request_template_enabled: pulumi.Input[bool] | None = None,
        custom_pull_request_template: pulumi.Input[str] | None = None,
        version_control_locked: pulumi.Input[bool] | None = None,
        force_uuid_mapping: pulumi.Input[bool] | None = None,
        auto_cleanup_branches_enabled: pulumi.Input[bool] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), connection=connection, opts=opts)
