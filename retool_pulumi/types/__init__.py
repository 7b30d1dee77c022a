"""Every Retool type this package manages (importing this module registers them)."""

from .configuration_variable import ConfigurationVariable
from .environment import Environment
from .folder import Folder
from .group import Group
from .permission import Permission
from .resource import Resource, ResourceConfiguration
from .source_control import SourceControl, SourceControlSettings
from .space import Space
from .sso import SsoConfig
from .user import User

__all__ = [
    "ConfigurationVariable",
    "Environment",
    "Folder",
    "Group",
    "Permission",
    "Resource",
    "ResourceConfiguration",
    "SourceControl",
    "SourceControlSettings",
    "Space",
    "SsoConfig",
    "User",
]
