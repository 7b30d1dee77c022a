"""What the provider host hands `configure`: the stack's config becomes the connection settings,
and RETOOL_PULUMI_LOG_LEVEL turns on the package's logs (to the provider's stderr)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from retool_pulumi import connection
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine import provider as provider_module


@pytest.fixture
def package_logger(monkeypatch: pytest.MonkeyPatch) -> Iterator[logging.Logger]:
    logger = logging.getLogger("retool_pulumi")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setattr(provider_module, "_log_handler", None)
    monkeypatch.delenv("RETOOL_HOST", raising=False)
    monkeypatch.delenv("RETOOL_ACCESS_TOKEN", raising=False)
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)
    connection.set_stack_config(None)


def _configure(props: dict[str, object]) -> None:
    RetoolProvider("Group").configure(ConfigureRequest(Config(props, "proj")))


def test_the_stack_config_becomes_the_connection(package_logger: logging.Logger) -> None:
    _configure({"retool:host": "acme.retool.com", "retool:accessToken": "t0ken"})
    settings = connection.resolve_settings()
    assert (settings.host, settings.access_token) == ("acme.retool.com", "t0ken")


@pytest.mark.parametrize("level", ["DEBUG", "info"])
def test_a_log_level_turns_the_logs_on_once(
    package_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch, level: str
) -> None:
    monkeypatch.setenv("RETOOL_PULUMI_LOG_LEVEL", level)
    before = len(package_logger.handlers)
    _configure({})
    _configure({})
    assert len(package_logger.handlers) == before + 1
    assert package_logger.level == logging.getLevelName(level.upper())
    assert package_logger.handlers[-1].formatter is not None


@pytest.mark.parametrize("level", ["", "NOTSET", "LOUD"])
def test_no_or_an_unknown_log_level_leaves_the_logs_off(
    package_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch, level: str
) -> None:
    monkeypatch.setenv("RETOOL_PULUMI_LOG_LEVEL", level)
    before = len(package_logger.handlers)
    _configure({})
    assert len(package_logger.handlers) == before
