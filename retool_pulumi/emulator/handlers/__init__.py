"""Handlers per Retool object type; importing this package registers them all."""

from retool_pulumi.emulator.handlers import (
    apps,
    environments,
    folders,
    groups,
    invites,
    organization,
    permissions,
    resources,
    roles,
    source_control,
    spaces,
    users,
)

__all__ = [
    "apps",
    "environments",
    "folders",
    "groups",
    "invites",
    "organization",
    "permissions",
    "resources",
    "roles",
    "source_control",
    "spaces",
    "users",
]
