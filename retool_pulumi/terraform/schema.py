"""What Retool's Terraform provider (tryretool/terraform-provider-retool) keeps in a state, as
far as the conversion needs it: which Pulumi type each resource type becomes, which attributes
its schema marks sensitive, and why some read-only attributes have no place in a program.
Source: the provider's `docs/resources/*.md` and `internal/provider/*/resource.go`."""

from __future__ import annotations

__all__ = ["KINDS", "NOT_CARRIED", "SENSITIVE", "sensitive_path"]

# Terraform resource type -> Pulumi type, in the order the program declares them (a type only
# refers to types declared before it).
KINDS: dict[str, str] = {
    "retool_environment": "Environment",
    "retool_folder": "Folder",
    "retool_group": "Group",
    "retool_user": "User",
    "retool_space": "Space",
    "retool_resource": "Resource",
    "retool_resource_configuration": "ResourceConfiguration",
    "retool_configuration_variable": "ConfigurationVariable",
    "retool_permissions": "Permission",
    "retool_sso": "SsoConfig",
    "retool_source_control": "SourceControl",
    "retool_source_control_settings": "SourceControlSettings",
}

# Attribute paths the provider's schema marks Sensitive ("*": any list index). The state's own
# `sensitive_attributes` are honoured too.
SENSITIVE: dict[str, frozenset[tuple[str, ...]]] = {
    "retool_configuration_variable": frozenset({("values", "*", "value")}),
    "retool_resource": frozenset({("options",)}),
    "retool_resource_configuration": frozenset({("options",)}),
    "retool_sso": frozenset(
        {
            ("google", "client_secret"),
            ("google", "encrypted_client_secret"),
            ("oidc", "client_secret"),
            ("oidc", "encrypted_client_secret"),
            ("saml", "ldap_config", "server_key"),
            ("saml", "ldap_config", "server_certificate"),
            ("saml", "ldap_config", "encrypted_server_key"),
            ("saml", "ldap_config", "encrypted_server_certificate"),
        }
    ),
    "retool_source_control": frozenset(
        {
            ("github", "personal_access_token"),
            ("github", "app_authentication", "private_key"),
            ("gitlab", "project_access_token"),
            ("aws_codecommit", "access_key_id"),
            ("aws_codecommit", "secret_access_key"),
            ("aws_codecommit", "https_password"),
            ("bitbucket", "app_password"),
            ("azure_repos", "personal_access_token"),
        }
    ),
}

# Read-only attributes (by their last name) that are neither an input nor an output of the
# Pulumi type, and why they are not carried over.
NOT_CARRIED: dict[str, str] = {
    "encrypted_client_secret": "Retool's encrypted copy of the secret; Pulumi tracks it itself",
    "encrypted_server_key": "Retool's encrypted copy of the secret; Pulumi tracks it itself",
    "encrypted_server_certificate": "Retool's encrypted copy of the certificate",
    "last_active": "when the user was last active: Retool's record, not a setting",
}


def sensitive_path(tf_type: str, path: tuple[str | int, ...]) -> bool:
    """Whether the provider's schema marks the attribute at `path` sensitive."""
    for pattern in SENSITIVE.get(tf_type, ()):
        if len(pattern) == len(path) and all(
            (p == "*" and isinstance(s, int)) or p == s for p, s in zip(pattern, path, strict=True)
        ):
            return True
    return False
