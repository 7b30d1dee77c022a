"""The schema checks the emulator validates with: those of the product (`retool_pulumi.openapi`),
so the emulator accepts exactly what the provider's checks accept."""

from __future__ import annotations

from retool_pulumi.openapi.schema import Checker, compile_schema

__all__ = ["Checker", "compile_schema"]
