"""Fixtures for the emulator tests (the plugin provides `retool_emulator`)."""

pytest_plugins = ["retool_pulumi.emulator.pytest_plugin"]
