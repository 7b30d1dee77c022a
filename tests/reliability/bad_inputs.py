"""A catalogue of invalid inputs across types: each is rejected by `check` (at preview, before
any API call) with a message that names the property. Rows: (type, args, property)."""

from __future__ import annotations

from typing import Any, NamedTuple


class BadInput(NamedTuple):
    kind: str
    args: dict[str, Any]
    prop: str  # the property the error must name


_FOLDER = {"name": "Reports", "folder_type": "app"}
_GROUP = {"name": "Analysts"}
_ENV = {"name": "qa", "color": "#1E88E5"}
_SPACE = {"name": "EMEA", "domain": "emea.example.com"}
_USER = {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
_PG = {"database_options": {"host": "db.internal", "port": "5432", "name": "app", "username": "retool"}}
_RESOURCE = {"type": "postgresql", "display_name": "Orders DB", "options": _PG}
_RCONF = {"resource_id": "r1", "environment_id": "e1", "options": _PG}
_VAR = {"name": "API_URL", "secret": False, "values": [{"environment_id": "e1", "value": "v"}]}
_PERM = {
    "subject_type": "group",
    "subject_id": "1",
    "object_type": "app",
    "object_id": "a1",
    "access_level": "use",
}
_GIT = {"type": "Personal", "personal_access_token": "t", "url": "https://github.com"}
_SC = {"provider": "GitHub", "org": "acme", "repo": "retool", "default_branch": "main", "config": _GIT}


def _without(base: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k != key}


CASES: list[BadInput] = [
    # Folder
    BadInput("Folder", {**_FOLDER, "name": ""}, "name"),
    BadInput("Folder", _without(_FOLDER, "name"), "name"),
    BadInput("Folder", {**_FOLDER, "name": 123}, "name"),
    BadInput("Folder", {**_FOLDER, "folder_type": "apps"}, "folder_type"),
    BadInput("Folder", _without(_FOLDER, "folder_type"), "folder_type"),
    BadInput("Folder", {**_FOLDER, "parent_folder_id": "folder_12"}, "parent_folder_id"),
    BadInput("Folder", {**_FOLDER, "colour": "red"}, "colour"),
    # Group
    BadInput("Group", {**_GROUP, "name": ""}, "name"),
    BadInput("Group", {}, "name"),
    BadInput("Group", {**_GROUP, "universal_app_access": "admin"}, "universal_app_access"),
    BadInput("Group", {**_GROUP, "universal_resource_access": "read"}, "universal_resource_access"),
    BadInput("Group", {**_GROUP, "universal_workflow_access": "all"}, "universal_workflow_access"),
    BadInput("Group", {**_GROUP, "universal_query_library_access": "own"}, "universal_query_library_access"),
    BadInput("Group", {**_GROUP, "user_list_access": "maybe"}, "user_list_access"),
    BadInput("Group", {**_GROUP, "audit_log_access": [1]}, "audit_log_access"),
    BadInput("Group", {**_GROUP, "members": [{"id": "user_1"}]}, "members"),
    # Environment
    BadInput("Environment", {**_ENV, "color": "blue"}, "color"),
    BadInput("Environment", {**_ENV, "color": "#12345"}, "color"),
    BadInput("Environment", {**_ENV, "color": "#GGGGGG"}, "color"),
    BadInput("Environment", _without(_ENV, "color"), "color"),
    BadInput("Environment", {**_ENV, "name": ""}, "name"),
    BadInput("Environment", {**_ENV, "description": 5}, "description"),
    BadInput("Environment", {**_ENV, "is_default": True}, "is_default"),
    # Space
    BadInput("Space", {**_SPACE, "name": ""}, "name"),
    BadInput("Space", {**_SPACE, "domain": ""}, "domain"),
    BadInput("Space", _without(_SPACE, "domain"), "domain"),
    BadInput("Space", {**_SPACE, "users_to_copy_as_admins": "ada@example.com"}, "users_to_copy_as_admins"),
    BadInput("Space", {**_SPACE, "copy_sso_settings": "sometimes"}, "copy_sso_settings"),
    # User
    BadInput("User", {**_USER, "email": "not-an-email"}, "email"),
    BadInput("User", {**_USER, "email": "ada lovelace@example.com"}, "email"),
    BadInput("User", {**_USER, "first_name": ""}, "first_name"),
    BadInput("User", _without(_USER, "last_name"), "last_name"),
    BadInput("User", {**_USER, "user_type": "admin"}, "user_type"),
    BadInput("User", {**_USER, "active": "perhaps"}, "active"),
    BadInput("User", {**_USER, "metadata": "team=data"}, "metadata"),
    # Resource
    BadInput("Resource", {**_RESOURCE, "type": "mongodb"}, "type"),
    BadInput("Resource", {**_RESOURCE, "display_name": ""}, "display_name"),
    BadInput("Resource", _without(_RESOURCE, "options"), "options"),
    BadInput("Resource", {**_RESOURCE, "options": {}}, "options"),
    BadInput("Resource", {**_RESOURCE, "options": {"database_options": {"host": 5432}}}, "options"),
    BadInput("Resource", {**_RESOURCE, "type": "restapi", "options": {"base_url": 42}}, "options"),
    BadInput("Resource", {**_RESOURCE, "options": "host=db"}, "options"),
    # ResourceConfiguration
    BadInput("ResourceConfiguration", {**_RCONF, "resource_id": ""}, "resource_id"),
    BadInput("ResourceConfiguration", _without(_RCONF, "environment_id"), "environment_id"),
    BadInput("ResourceConfiguration", {**_RCONF, "options": "host=db"}, "options"),
    # ConfigurationVariable
    BadInput("ConfigurationVariable", {**_VAR, "name": ""}, "name"),
    BadInput("ConfigurationVariable", {**_VAR, "secret": "sometimes"}, "secret"),
    BadInput("ConfigurationVariable", {**_VAR, "values": "v"}, "values"),
    BadInput("ConfigurationVariable", {**_VAR, "values": [{"environment_id": "", "value": "v"}]}, "values"),
    BadInput("ConfigurationVariable", {**_VAR, "values": [{"environment_id": "e1"}]}, "values"),
    BadInput(
        "ConfigurationVariable",
        {**_VAR, "values": [{"environment_id": "e1", "value": "v", "x": 1}]},
        "values",
    ),
    BadInput("ConfigurationVariable", _without(_VAR, "values"), "values"),
    # Permission
    BadInput("Permission", {**_PERM, "subject_type": "team"}, "subject_type"),
    BadInput("Permission", {**_PERM, "subject_id": ""}, "subject_id"),
    BadInput("Permission", {**_PERM, "object_type": "dashboard"}, "object_type"),
    BadInput("Permission", {**_PERM, "access_level": "admin"}, "access_level"),
    BadInput("Permission", _without(_PERM, "object_id"), "object_id"),
    # SourceControl
    BadInput("SourceControl", {**_SC, "provider": "SVN"}, "provider"),
    BadInput("SourceControl", {**_SC, "org": ""}, "org"),
    BadInput("SourceControl", {**_SC, "config": {}}, "config"),
    BadInput("SourceControl", {**_SC, "config": {**_GIT, "type": "Token"}}, "config"),
    BadInput("SourceControl", _without(_SC, "default_branch"), "default_branch"),
    # SourceControlSettings
    BadInput("SourceControlSettings", {"version_control_locked": "locked"}, "version_control_locked"),
    BadInput(
        "SourceControlSettings",
        {"custom_pull_request_template_enabled": True},
        "custom_pull_request_template",
    ),
    # SsoConfig
    BadInput("SsoConfig", {"config_type": "ldap"}, "config_type"),
    BadInput("SsoConfig", {"config_type": "google"}, "google_client_id"),
    BadInput(
        "SsoConfig",
        {"config_type": "oidc", "disable_email_password_login": "nope"},
        "disable_email_password_login",
    ),
]
