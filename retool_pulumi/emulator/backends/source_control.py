"""Source control: the one configuration (credentials masked on reads), its settings and the
deployments it makes."""

from __future__ import annotations

import copy

from ..store import Record, now
from .base import ENCRYPTED, ApiError, Backend, get_or_404

# Credentials production never echoes back (divergence source-control-credential-masking).
CREDENTIAL_KEYS = {
    "private_key",
    "personal_access_token",
    "project_access_token",
    "access_key_id",
    "secret_access_key",
    "https_password",
    "app_password",
}


def _render(config: Record) -> Record:
    data = copy.deepcopy(config)
    data["config"] = {k: ENCRYPTED if k in CREDENTIAL_KEYS else v for k, v in data["config"].items()}
    if data.get("provider") == "Bitbucket" and "app_password" in data["config"]:
        data["config"].pop("type", None)  # divergence bitbucket-type-not-returned
    return data


class SourceControlBackend(Backend):
    """The organisation's source control configuration, settings and deployments."""

    def config(self, status: int = 404) -> Record:
        """The stored configuration, else `status` (source control is not configured)."""
        if self.store.source_control_config is None:
            raise ApiError(status, "Source control is not configured")
        return self.store.source_control_config

    def read_config(self) -> Record:
        """The configuration as the API answers it."""
        return _render(self.config())

    def set_config(self, config: Record, replace: bool = True) -> tuple[Record, bool]:
        """Store the configuration (409 when one exists and not `replace`); (answer, created)."""
        created = self.store.source_control_config is None
        if not (created or replace):
            raise ApiError(409, "Source control is already configured")
        self.store.source_control_config = copy.deepcopy(config)
        return _render(self.store.source_control_config), created

    def delete_config(self) -> None:
        """Forget the configuration (404 when there is none)."""
        self.config()
        self.store.source_control_config = None

    def settings(self) -> Record:
        """The source control settings."""
        return dict(self.store.source_control_settings)

    def update_settings(self, settings: Record) -> Record:
        """Change the given settings."""
        self.store.source_control_settings.update(settings)
        return self.settings()

    def deploy(self) -> Record:
        """A deployment of the configured repository (400 when none is configured)."""
        self.config(400)
        did = self.store.new_uuid()
        dep = {
            "id": did,
            "status": "SUCCESS",
            "commit_sha": self.store.hex32()[:40].ljust(40, "0"),
            "triggered_by": self.store.admin_user_id,
            "created_at": now(),
            "completed_at": now(),
        }
        self.store.deployments[did] = dep
        return dict(dep)

    def deployment(self, deployment_id: str) -> Record:
        """One deployment, else a 404."""
        return dict(get_or_404(self.store.deployments, deployment_id, "Deployment"))

    def deployments(self) -> list[Record]:
        """The deployments, newest first (404 when source control is not configured)."""
        self.config()
        return [dict(d) for d in reversed(list(self.store.deployments.values()))]
