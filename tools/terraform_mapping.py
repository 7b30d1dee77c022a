"""Data: which Retool Terraform provider resource and attributes match each retool-pulumi type.

Learnt from tryretool/terraform-provider-retool (docs/resources/*.md and internal/provider). Keys
of `attributes` are Terraform attribute paths (`block.attribute`, `list[].attribute`); each value
is the retool-pulumi argument or output it becomes (a path the same way), or None where there is
none, with an optional note. tools/gen_docs.py renders it; tests/docs checks that every named
argument or output exists.
"""

from __future__ import annotations

from typing import TypedDict


class Attribute(TypedDict, total=False):
    to: str | None  # the argument or output; None: no equivalent
    note: str


class TerraformResource(TypedDict, total=False):
    resource: str  # e.g. "retool_folder"
    import_id: str  # what `terraform import` takes
    note: str
    attributes: dict[str, Attribute]


LIST_NOTE = "a list there, comma-separated here"


def same(*names: str) -> dict[str, Attribute]:
    """Attributes called the same on both sides."""
    return {name: {"to": name} for name in names}


TERRAFORM: dict[str, TerraformResource] = {
    "Folder": {
        "resource": "retool_folder",
        "import_id": "the folder id (`app_123`)",
        "attributes": same("id", "name", "folder_type", "parent_folder_id", "is_system_folder", "legacy_id"),
    },
    "Group": {
        "resource": "retool_group",
        "import_id": "the group id (`123`)",
        "note": "Terraform does not manage members; here `GroupMember` does.",
        "attributes": same(
            "id",
            "name",
            "legacy_id",
            "account_details_access",
            "audit_log_access",
            "landing_page_app_id",
            "theme_access",
            "universal_app_access",
            "universal_query_library_access",
            "universal_resource_access",
            "universal_workflow_access",
            "unpublished_release_access",
            "usage_analytics_access",
            "user_list_access",
        ),
    },
    "Permission": {
        "resource": "retool_permissions",
        "import_id": "`subject_type|subject_id` (all grants of one subject)",
        "note": "One `retool_permissions` (a subject and a set of grants) becomes one `Permission` "
        "per element of `permissions`.",
        "attributes": {
            "subject.type": {"to": "subject_type"},
            "subject.id": {"to": "subject_id"},
            "permissions[].object.type": {"to": "object_type"},
            "permissions[].object.id": {"to": "object_id"},
            "permissions[].object.app_id": {"to": "app_id"},
            "permissions[].access_level": {"to": "access_level"},
        },
    },
    "Space": {
        "resource": "retool_space",
        "import_id": "the space id",
        "attributes": {
            **same("id", "name", "domain"),
            "create_options.copy_sso_settings": {"to": "copy_sso_settings"},
            "create_options.copy_branding_and_themes_settings": {"to": "copy_branding_and_themes_settings"},
            "create_options.create_admin_user": {"to": "create_admin_user"},
            "create_options.users_to_copy_as_admins": {"to": "users_to_copy_as_admins"},
        },
    },
    "SsoConfig": {
        "resource": "retool_sso",
        "import_id": "any string (a singleton)",
        "note": "Terraform's `google`, `oidc` and `saml` blocks are flattened into prefixed arguments, "
        "and the blocks present choose `config_type` (`google`, `oidc`, `saml`, `google & oidc`, "
        "`google & saml`).",
        "attributes": {
            "disable_email_password_login": {"to": "disable_email_password_login"},
            "google.client_id": {"to": "google_client_id"},
            "google.client_secret": {"to": "google_client_secret"},
            "google.encrypted_client_secret": {"to": None, "note": "not an output here"},
            "oidc.client_id": {"to": "oidc_client_id"},
            "oidc.client_secret": {"to": "oidc_client_secret"},
            "oidc.encrypted_client_secret": {"to": None, "note": "not an output here"},
            "oidc.scopes": {"to": "oidc_scopes"},
            "oidc.auth_url": {"to": "oidc_auth_url"},
            "oidc.token_url": {"to": "oidc_token_url"},
            "oidc.userinfo_url": {"to": "oidc_userinfo_url"},
            "oidc.audience": {"to": "oidc_audience"},
            "oidc.jwt_email_key": {"to": "jwt_email_key"},
            "oidc.jwt_first_name_key": {"to": "jwt_first_name_key"},
            "oidc.jwt_last_name_key": {"to": "jwt_last_name_key"},
            "oidc.jwt_roles_key": {"to": "jwt_roles_key"},
            "oidc.roles_mapping": {"to": "roles_mapping", "note": 'a map there, `"key->value,..."` here'},
            "oidc.jit_enabled": {"to": "jit_enabled"},
            "oidc.restricted_domains": {"to": "restricted_domain", "note": LIST_NOTE},
            "oidc.trigger_login_automatically": {"to": "trigger_login_automatically"},
            "saml.idp_metadata_xml": {"to": "idp_metadata_xml"},
            "saml.first_name_attribute": {"to": "saml_first_name_attribute"},
            "saml.last_name_attribute": {"to": "saml_last_name_attribute"},
            "saml.groups_attribute": {"to": "saml_groups_attribute"},
            "saml.sync_group_claims": {"to": "saml_sync_group_claims"},
            "saml.ldap_sync_group_claims": {"to": "ldap_sync_group_claims"},
            "saml.jit_enabled": {"to": "jit_enabled"},
            "saml.restricted_domains": {"to": "restricted_domain", "note": LIST_NOTE},
            "saml.trigger_login_automatically": {"to": "trigger_login_automatically"},
            "saml.roles_mapping": {
                "to": "ldap_role_mapping",
                "note": 'a map of lists there, `"key->value,..."` here',
            },
            "saml.ldap_config.server_url": {"to": "ldap_server_url"},
            "saml.ldap_config.base_domain_components": {"to": "ldap_base_domain_components"},
            "saml.ldap_config.server_name": {"to": "ldap_server_name"},
            "saml.ldap_config.server_key": {"to": "ldap_server_key"},
            "saml.ldap_config.server_certificate": {"to": "ldap_server_certificate"},
        },
    },
    "SourceControl": {
        "resource": "retool_source_control",
        "import_id": "any string (a singleton)",
        "note": "Terraform's provider blocks become `provider` (which block) and `config` (the block's "
        "attributes, as Retool's API names them).",
        "attributes": {
            **same("org", "repo", "default_branch", "repo_version"),
            "github": {"to": "config", "note": 'with `provider="GitHub"`'},
            "gitlab": {"to": "config", "note": 'with `provider="GitLab"`'},
            "bitbucket": {"to": "config", "note": 'with `provider="Bitbucket"`'},
            "aws_codecommit": {"to": "config", "note": 'with `provider="AWS CodeCommit"`'},
            "azure_repos": {"to": "config", "note": 'with `provider="Azure Repos"`'},
        },
    },
    "SourceControlSettings": {
        "resource": "retool_source_control_settings",
        "import_id": "any string (a singleton)",
        "attributes": same(
            "auto_branch_naming_enabled",
            "auto_cleanup_branches_enabled",
            "custom_pull_request_template",
            "custom_pull_request_template_enabled",
            "force_uuid_mapping",
            "version_control_locked",
        ),
    },
    "Environment": {
        "resource": "retool_environment",
        "import_id": "the environment id",
        "attributes": same("id", "name", "color", "description", "default", "created_at", "updated_at"),
    },
    "ConfigurationVariable": {
        "resource": "retool_configuration_variable",
        "import_id": "the variable id",
        "attributes": {
            **same("id", "name", "description", "secret"),
            "values[].environment_id": {"to": "values[].environment_id"},
            "values[].value": {"to": "values[].value"},
        },
    },
    "Resource": {
        "resource": "retool_resource",
        "import_id": "the resource UUID",
        "attributes": {
            **same("id", "type", "display_name", "protected", "created_at", "updated_at"),
            "options": {"to": "options", "note": "a JSON string there, a mapping here"},
        },
    },
    "ResourceConfiguration": {
        "resource": "retool_resource_configuration",
        "import_id": "the configuration UUID",
        "attributes": {
            **same("id", "resource_id", "environment_id", "created_at", "updated_at"),
            "options": {"to": "options", "note": "a JSON string there, a mapping here"},
        },
    },
    "User": {
        "resource": "retool_user",
        "import_id": "the user id",
        "note": "Destroying either disables the user; Retool cannot delete users.",
        "attributes": {
            **same(
                "id",
                "email",
                "first_name",
                "last_name",
                "active",
                "user_type",
                "created_at",
                "is_admin",
                "legacy_id",
                "two_factor_auth_enabled",
            ),
            "metadata": {"to": "metadata", "note": "a JSON string there, a mapping here"},
            "last_active": {"to": None, "note": "not an output here"},
        },
    },
}
