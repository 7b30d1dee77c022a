"""SSO configuration: one per organisation, its secrets stored encrypted."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from ..store import Record
from .base import Backend, not_found

# Read back encrypted (divergence sso-secret-encryption); idp_metadata_xml comes back as sent.
SSO_SECRETS = ("google_client_secret", "oidc_client_secret", "ldap_server_key", "ldap_server_certificate")
CANARY = "__RETOOL_ENCRYPTED_JSON__"


class SsoBackend(Backend):
    """The organisation's SSO configuration."""

    def read(self) -> Record:
        """The configuration, else a 404."""
        if self.store.sso_config is None:
            raise not_found("SSO is not configured")
        return copy.deepcopy(self.store.sso_config)

    def set(self, data: Record) -> Record:
        """Replace the configuration, its secrets encrypted."""
        config = copy.deepcopy(data)
        for key in SSO_SECRETS:
            if key in config:
                config[key] = self._encrypt(config[key])
        self.store.sso_config = config
        return copy.deepcopy(config)

    def delete(self) -> None:
        """Forget the configuration."""
        self.store.sso_config = None

    def _encrypt(self, value: Any) -> str:
        """Production's shape: a JSON string with a canary, the same for the same plaintext (a digest
        keyed by the organisation stands in for the ciphertext: never the plaintext itself)."""
        digest = hashlib.sha256(f"retool-emulator:{self.store.seed}:{value}".encode()).hexdigest()
        return json.dumps(
            {"canaryValue": CANARY, "iv": digest[:24], "data": digest[24:]}, separators=(",", ":")
        )
