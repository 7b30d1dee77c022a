"""Helpers shared by the types beyond the Terraform provider's twelve (membership, attributes,
invites, roles, themes, observability, organisation settings, tokens, component libraries)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from ..engine.values import same
from ..errors import RetoolError
from ._common import NUMBER_ID

GROUP_ID = NUMBER_ID  # the spec's groupId path parameter
log = logging.getLogger("retool_pulumi.types")


def number_as_text(value: Any) -> Any:
    """Group ids are numbers in Retool, and the engine sends numbers as floats (5.0): "5"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def scope_set(values: Iterable[str]) -> list[str]:
    """Scopes are a set: compared and stored sorted, without repeats."""
    return sorted(set(values))


def split_id(kind: str, id_: str, parts: int, example: str) -> list[str]:
    """The parts of a synthetic id like `12/user_ab`, or an error naming the expected form."""
    found = id_.split("/")
    if len(found) != parts or not all(found):
        raise RetoolError(f"{kind} id {id_!r} is not of the form {example!r}")
    return found


def unchangeable(kind: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> None:
    """For types Retool cannot change in place (every field replaces): reached only when an
    adopted object differs from the declaration."""
    changed = sorted(k for k in set(olds) | set(news) if not same(olds.get(k), news.get(k)))
    if changed:
        raise RetoolError(
            f"{kind} cannot be changed in place (Retool's API has no update); the adopted object "
            f"differs in {', '.join(changed)}: declare its values, or drop adopt_id to create a new one"
        )
