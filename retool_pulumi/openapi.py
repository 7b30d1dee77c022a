"""The bundled Retool OpenAPI document (v3.373.0) and schema checks compiled from it."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from .emulator.validation import Checker, compile_schema

__all__ = ["Checker", "compile_schema", "document", "request_schema"]


@functools.cache
def document() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def request_schema(path: str, method: str) -> dict[str, Any]:
    """The JSON body schema of an operation, e.g. `request_schema("/resources", "post")`."""
    op = document()["paths"][path][method]
    return dict(op["requestBody"]["content"]["application/json"]["schema"])
