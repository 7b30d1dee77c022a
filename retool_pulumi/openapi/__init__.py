"""The bundled Retool OpenAPI document (v3.373.0), production's request-side patches of it, and
the schema checks compiled from it: the one source of what production Retool accepts, shared by
the types' checks and the emulator's request validation."""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from .production import REQUEST_DIVERGENCES, Divergence, apply_request_divergences
from .schema import Checker, compile_schema

__all__ = [
    "REQUEST_DIVERGENCES",
    "SPEC_PATH",
    "Checker",
    "Divergence",
    "compile_schema",
    "document",
    "load_document",
    "production_document",
    "request_schema",
]

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.json"


@functools.cache
def _text() -> str:
    return resources.files("retool_pulumi").joinpath("openapi.json").read_text(encoding="utf-8")


def load_document() -> dict[str, Any]:
    """A fresh copy of the bundled document, for a caller that patches it."""
    return dict(json.loads(_text()))


@functools.cache
def document() -> dict[str, Any]:
    """The bundled document as published (shared: do not modify)."""
    return load_document()


@functools.cache
def production_document() -> dict[str, Any]:
    """The bundled document with production's request-side patches (shared: do not modify)."""
    return apply_request_divergences(load_document())


def request_schema(path: str, method: str) -> dict[str, Any]:
    """The JSON body schema production takes for an operation, e.g.
    `request_schema("/resources", "post")` (a copy: callers may keep or edit it)."""
    op = production_document()["paths"][path][method]
    return copy.deepcopy(dict(op["requestBody"]["content"]["application/json"]["schema"]))
