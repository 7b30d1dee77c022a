"""One version string: `retool_pulumi/_version.py`, read by the build (pyproject's dynamic
version), exposed as `retool_pulumi.__version__` and sent in every request's User-Agent."""

from __future__ import annotations

import re

import httpx

import retool_pulumi
from retool_pulumi.client import RetoolClient
from tests.engine import REPO


def test_the_build_reads_the_version_from_the_package() -> None:
    pyproject = (REPO / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]$', pyproject, re.MULTILINE)
    assert not re.search(r'^version = "', pyproject, re.MULTILINE), "no second, literal version"
    assert 'version = { attr = "retool_pulumi._version.__version__" }' in pyproject
    assert retool_pulumi.__version__ == retool_pulumi._version.__version__


def test_every_request_names_the_package_version_in_its_user_agent() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, json={"success": True, "data": {"id": "app_1"}})

    client = RetoolClient("retool.invalid", "t", requests_per_minute=0, transport=httpx.MockTransport(answer))
    try:
        client.get("/folders/app_1")
    finally:
        client.close()
    assert seen == [f"retool-pulumi/{retool_pulumi.__version__}"]
