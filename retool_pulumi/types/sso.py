"""Single sign-on configuration (Google, OIDC, SAML and the combined variants): a singleton."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, model_validator

from ..client import RetoolClient
from ..engine import SECRET, Inputs, ResourceSpec, RetoolResource
from ..openapi import Checker, compile_schema, request_schema

ConfigType = Literal["google", "oidc", "google & oidc", "saml", "google & saml"]
# Retool returns these encrypted (a JSON string with a canary, stable for the same plaintext), so
# they are kept as declared and a change of the ciphertext is a rotation. idp_metadata_xml comes
# back as sent. Retool's Terraform provider treats the same four as encrypted.
_SECRETS = ("google_client_secret", "oidc_client_secret", "ldap_server_key", "ldap_server_certificate")


@functools.cache
def _variant_checker(config_type: str) -> Checker:
    for variant in request_schema("/sso/config", "post")["properties"]["data"]["oneOf"]:
        if variant["properties"]["config_type"]["enum"] == [config_type]:
            return compile_schema(variant)
    return lambda value, loc: None


Str = Annotated[str | None, Field(description="See Retool's SSO settings.")]
Flag = Annotated[bool | None, Field(description="See Retool's SSO settings.")]
Secret = Annotated[str | None, SECRET, Field(description="A secret: encrypted in state, never shown.")]


class SsoConfigInputs(Inputs):
    config_type: Annotated[ConfigType, Field(description="Which identity providers are used.")]
    google_client_id: Str = None
    google_client_secret: Secret = None
    disable_email_password_login: Flag = None
    oidc_client_id: Str = None
    oidc_client_secret: Secret = None
    oidc_scopes: Str = None
    oidc_auth_url: Str = None
    oidc_token_url: Str = None
    oidc_userinfo_url: Str = None
    oidc_audience: Str = None
    oidc_end_session_url: Str = None
    jwt_email_key: Str = None
    jwt_roles_key: Str = None
    jwt_first_name_key: Str = None
    jwt_last_name_key: Str = None
    roles_mapping: Str = None
    jit_enabled: Flag = None
    restricted_domain: Str = None
    trigger_login_automatically: Flag = None
    idp_metadata_xml: Str = None
    saml_first_name_attribute: Str = None
    saml_last_name_attribute: Str = None
    saml_groups_attribute: Str = None
    saml_sync_group_claims: Flag = None
    ldap_sync_group_claims: Flag = None
    ldap_role_mapping: Str = None
    ldap_server_url: Str = None
    ldap_base_domain_components: Str = None
    ldap_server_name: Str = None
    ldap_server_key: Secret = None
    ldap_server_certificate: Secret = None

    @model_validator(mode="after")
    def _fits_config_type(self) -> SsoConfigInputs:
        data = self.model_dump(exclude_none=True)
        problem = _variant_checker(self.config_type)(data, "sso")
        if problem:
            raise ValueError(f"{problem.removeprefix('sso.')} (for config_type {self.config_type!r})")
        return self


class SsoConfigSpec(ResourceSpec):
    kind = "SsoConfig"
    inputs = SsoConfigInputs
    collection = "/sso/config"
    update_style = "post"
    singleton = True
    singleton_id = "sso"
    encrypted = _SECRETS  # returned encrypted: kept as declared, a change on the server is a rotation

    def body(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        return {"data": super().body(inputs)}

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # POST replaces the whole configuration: safe to repeat.
        return dict(client.post(self.collection, json=self.body(inputs), retry_safe=True))


class SsoConfig(RetoolResource):
    """The organisation's SSO configuration (a singleton: creating it adopts what is there).

    Client secrets, the LDAP key and the LDAP certificate are Pulumi secrets. Retool returns them
    encrypted, so a refresh keeps the declared value; if the encrypted value changes on the
    server (someone rotated the secret in Retool), refresh reports it and the next `pulumi up`
    sets the declared secret again. Destroying the resource deletes the SSO configuration."""

    config_type: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        config_type: pulumi.Input[str],
        google_client_id: pulumi.Input[str] | None = None,
        google_client_secret: pulumi.Input[str] | None = None,
        disable_email_password_login: pulumi.Input[bool] | None = None,
        oidc_client_id: pulumi.Input[str] | None = None,
        oidc_client_secret: pulumi.Input[str] | None = None,
        oidc_scopes: pulumi.Input[str] | None = None,
        oidc_auth_url: pulumi.Input[str] | None = None,
        oidc_token_url: pulumi.Input[str] | None = None,
        oidc_userinfo_url: pulumi.Input[str] | None = None,
        oidc_audience: pulumi.Input[str] | None = None,
        oidc_end_session_url: pulumi.Input[str] | None = None,
        jwt_email_key: pulumi.Input[str] | None = None,
        jwt_roles_key: pulumi.Input[str] | None = None,
        jwt_first_name_key: pulumi.Input[str] | None = None,
        jwt_last_name_key: pulumi.Input[str] | None = None,
        roles_mapping: pulumi.Input[str] | None = None,
        jit_enabled: pulumi.Input[bool] | None = None,
        restricted_domain: pulumi.Input[str] | None = None,
        trigger_login_automatically: pulumi.Input[bool] | None = None,
        idp_metadata_xml: pulumi.Input[str] | None = None,
        saml_first_name_attribute: pulumi.Input[str] | None = None,
        saml_last_name_attribute: pulumi.Input[str] | None = None,
        saml_groups_attribute: pulumi.Input[str] | None = None,
        saml_sync_group_claims: pulumi.Input[bool] | None = None,
        ldap_sync_group_claims: pulumi.Input[bool] | None = None,
        ldap_role_mapping: pulumi.Input[str] | None = None,
        ldap_server_url: pulumi.Input[str] | None = None,
        ldap_base_domain_components: pulumi.Input[str] | None = None,
        ldap_server_name: pulumi.Input[str] | None = None,
        ldap_server_key: pulumi.Input[str] | None = None,
        ldap_server_certificate: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), connection=connection, opts=opts)
