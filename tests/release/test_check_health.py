"""Retool's Terraform provider can talk to the emulator unchanged: before anything else it calls
`GET /api/checkHealth` (outside /api/v2, with no token: Go's default client, no Authorization
header) and refuses a server whose JSON `version` is not a semantic version >= 3.75.0
(terraform-provider-retool, internal/provider/provider.go: checkMinimalVersion)."""

from __future__ import annotations

import http.client
import json
import re
from typing import Any

from retool_pulumi.emulator import Emulator

# What the provider compares with golang.org/x/mod/semver: "v" + version >= "v3.75.0"; a version
# that is not semver sorts below every valid one, so it is refused.
MINIMUM = (3, 75, 0)
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def provider_accepts(version: Any) -> bool:
    match = SEMVER.match(version) if isinstance(version, str) else None
    if match is None:
        return False
    release = tuple(int(p) for p in match.groups())
    prerelease = "-" in version.split("+")[0]
    return release > MINIMUM or (release == MINIMUM and not prerelease)


def get(
    em: Emulator, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(em.host, timeout=10)
    try:
        conn.request(method, path, None, headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, json.loads(data) if data else None
    finally:
        conn.close()


def test_check_health_answers_a_version_the_terraform_provider_accepts_without_a_token(
    retool_emulator: Emulator,
) -> None:
    status, body = get(retool_emulator, "/api/checkHealth")
    assert status == 200, body
    assert provider_accepts(body["version"]), body


def test_check_health_reports_the_bundled_spec_version(retool_emulator: Emulator) -> None:
    from retool_pulumi.openapi import document

    status, body = get(
        retool_emulator, "/api/checkHealth", {"Authorization": f"Bearer {retool_emulator.token}"}
    )
    assert status == 200
    assert body["version"] == document()["info"]["version"]


def test_check_health_keeps_the_host_and_origin_checks(retool_emulator: Emulator) -> None:
    status, _ = get(retool_emulator, "/api/checkHealth", {"Host": f"evil.example:{retool_emulator.port}"})
    assert status == 403
    status, _ = get(retool_emulator, "/api/checkHealth", {"Origin": "http://evil.example"})
    assert status == 403


def test_check_health_takes_only_get(retool_emulator: Emulator) -> None:
    status, body = get(retool_emulator, "/api/checkHealth", method="POST")
    assert status == 404 and body["success"] is False
    status, _ = get(retool_emulator, "/api/checkHealth", method="HEAD")
    assert status == 200


def test_the_version_check_itself_refuses_old_and_malformed_versions() -> None:
    assert provider_accepts("3.75.0") and provider_accepts("3.373.0")
    assert not provider_accepts("3.74.9") and not provider_accepts("3.75.0-rc1")
    assert not provider_accepts("3.373") and not provider_accepts(None)
