"""Shared pieces of the reliability tests: a program of N mixed objects and the checks that
nothing was duplicated or left behind in the emulated organisation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator

KINDS = ("folder", "group", "environment")


def mixed_program(n: int, prefix: str) -> Callable[[], None]:
    """A program declaring `n` objects, a third each of folders, groups and environments."""

    def program() -> None:
        for i in range(n):
            kind = KINDS[i % 3]
            name = f"{prefix}-{kind}-{i:03d}"
            if kind == "folder":
                retool.Folder(name, name=name, folder_type="app")
            elif kind == "group":
                retool.Group(name, name=name, universal_app_access="use")
            else:
                retool.Environment(name, name=name, color="#1E88E5", description=f"env {i}")

    return program


def expected_names(n: int, prefix: str) -> set[str]:
    return {f"{prefix}-{KINDS[i % 3]}-{i:03d}" for i in range(n)}


def names_in_org(em: Emulator, prefix: str) -> Counter[str]:
    """How many objects of each name starting with `prefix` Retool holds (folders, groups and
    environments together: the names of the three kinds never collide)."""
    with em.store.lock:
        records = [
            *em.store.folders.values(),
            *em.store.groups.values(),
            *em.store.environments.values(),
        ]
        return Counter(str(r["name"]) for r in records if str(r.get("name", "")).startswith(prefix))


def duplicates(counts: Counter[str]) -> dict[str, int]:
    return {name: c for name, c in counts.items() if c > 1}
