"""Every Retool type this package manages (importing this module registers them)."""

from .access_token import AccessToken
from .app_theme import AppTheme
from .configuration_variable import ConfigurationVariable
from .custom_component_library import CustomComponentLibrary
from .environment import Environment
from .folder import Folder
from .group import Group
from .group_member import GroupMember
from .observability import ObservabilityConfig
from .organization import AiSettings, OrganizationSettings
from .permission import Permission
from .resource import Resource, ResourceConfiguration
from .role import Role, RoleGrant
from .source_control import SourceControl, SourceControlSettings
from .space import Space
from .sso import SsoConfig
from .user import User
from .user_attribute import UserAttribute, UserAttributeValue
from .user_invite import UserInvite

__all__ = [
    "AccessToken",
    "AiSettings",
    "AppTheme",
    "ConfigurationVariable",
    "CustomComponentLibrary",
    "Environment",
    "Folder",
    "Group",
    "GroupMember",
    "ObservabilityConfig",
    "OrganizationSettings",
    "Permission",
    "Resource",
    "ResourceConfiguration",
    "Role",
    "RoleGrant",
    "SourceControl",
    "SourceControlSettings",
    "Space",
    "SsoConfig",
    "User",
    "UserAttribute",
    "UserAttributeValue",
    "UserInvite",
]
