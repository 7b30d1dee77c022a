"""Manage a Retool organisation with Pulumi.

import retool_pulumi as retool
folder = retool.Folder("reports", name="Reports", folder_type="app")
"""

from .client import RetoolClient
from .errors import ObjectNotFoundError, RetoolAPIError, RetoolError
from .lookups import (
    get_app,
    get_environment,
    get_folder,
    get_group,
    get_resource,
    get_root_folder,
    get_space,
    get_user,
    get_workflow,
)
from .types import (
    ConfigurationVariable,
    Environment,
    Folder,
    Group,
    Permission,
    Resource,
    ResourceConfiguration,
    SourceControl,
    SourceControlSettings,
    Space,
    SsoConfig,
    User,
)

__all__ = [
    "ConfigurationVariable",
    "Environment",
    "Folder",
    "Group",
    "ObjectNotFoundError",
    "Permission",
    "Resource",
    "ResourceConfiguration",
    "RetoolAPIError",
    "RetoolClient",
    "RetoolError",
    "SourceControl",
    "SourceControlSettings",
    "Space",
    "SsoConfig",
    "User",
    "get_app",
    "get_environment",
    "get_folder",
    "get_group",
    "get_resource",
    "get_root_folder",
    "get_space",
    "get_user",
    "get_workflow",
]
