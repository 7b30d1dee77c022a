"""The emulated organisation's rules, one backend per Retool type (as moto's models): state
lives in the `Store`; each backend keeps its type's rules (validation, uniqueness, id formats,
masking and encryption) and `cascade` says what goes with a deleted object. The HTTP side
(`retool_pulumi.emulator.handlers`) parses a request, calls a backend and answers."""

from __future__ import annotations

from ..store import Store
from .access_request import AccessRequestBackend
from .access_token import AccessTokenBackend
from .app import AppBackend, WorkflowBackend
from .app_theme import AppThemeBackend
from .base import ApiError
from .configuration_variable import ConfigurationVariableBackend
from .custom_component_library import CustomComponentLibraryBackend
from .environment import EnvironmentBackend
from .folder import FolderBackend
from .group import GroupBackend
from .observability import ObservabilityBackend
from .organization import OrganizationBackend
from .permission import PermissionBackend
from .resource import ResourceBackend, ResourceConfigurationBackend
from .role import RoleBackend, RoleGrantBackend
from .seed import seed_store
from .source_control import SourceControlBackend
from .space import SpaceBackend
from .sso import SsoBackend
from .user import UserBackend
from .user_attribute import UserAttributeBackend
from .user_invite import UserInviteBackend

__all__ = ["ApiError", "Backends"]


class Backends:
    """Every backend over one organisation's store (`em.backends`). Like the backends, callers
    hold `store.lock` (the API does for each request)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.access_requests = AccessRequestBackend(store)
        self.access_tokens = AccessTokenBackend(store)
        self.app_themes = AppThemeBackend(store)
        self.apps = AppBackend(store)
        self.configuration_variables = ConfigurationVariableBackend(store)
        self.custom_component_libraries = CustomComponentLibraryBackend(store)
        self.environments = EnvironmentBackend(store)
        self.folders = FolderBackend(store)
        self.groups = GroupBackend(store)
        self.observability = ObservabilityBackend(store)
        self.organization = OrganizationBackend(store)
        self.permissions = PermissionBackend(store)
        self.resource_configurations = ResourceConfigurationBackend(store)
        self.resources = ResourceBackend(store)
        self.role_grants = RoleGrantBackend(store)
        self.roles = RoleBackend(store)
        self.source_control = SourceControlBackend(store)
        self.spaces = SpaceBackend(store)
        self.sso = SsoBackend(store)
        self.user_attributes = UserAttributeBackend(store)
        self.user_invites = UserInviteBackend(store)
        self.users = UserBackend(store)
        self.workflows = WorkflowBackend(store)

    def reset(self, seed: int | None = None) -> None:
        """Drop all state and create the seeded organisation (ids drawn from `seed`, if given)."""
        with self.store.lock:
            self.store.clear(seed)
            seed_store(self.store)
