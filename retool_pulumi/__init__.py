"""Manage a Retool organisation with Pulumi.

import retool_pulumi as retool
folder = retool.Folder("reports", name="Reports", folder_type="app")
"""

from .client import RetoolClient
from .errors import RetoolAPIError, RetoolError
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
]
