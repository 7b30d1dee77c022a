"""Spaces: ids `org_<32 hex>`, unique domains, provisioned after the create answers; copying
apps, workflows and resources into a space."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..store import Record, Store, public
from .base import Collection, check_unique, not_found, stamps, touch
from .resource import resource_exists

# store.counters key: how many reads of a new space still see it provisioning (see
# set_provisioning_reads); a counter so that a reset clears it and the state file keeps it.
_PROVISIONING_READS = "space_provisioning_reads"


def set_provisioning_reads(store: Store, reads: int) -> None:
    """Let the next `reads` reads (GETs and listings) of each space created from now on find it
    still provisioning, with `domain: ""` (divergence space-create-domain). Production's POST
    takes seconds to provision a space; a read that reaches Retool meanwhile (the lookup after a
    timed-out create) sees the empty domain. 0, the default, is the recorded case: the GET after
    the POST has the domain."""
    with store.lock:
        store.counters[_PROVISIONING_READS] = max(0, int(reads))


class SpaceBackend(Collection):
    """Spaces."""

    collection = "spaces"
    label = "Space"

    def render(self, record: Record) -> Record:
        """A space as a read returns it (one read of its provisioning window used up)."""
        data = public(record)
        if record.get("_provisioning_reads", 0) > 0:
            record["_provisioning_reads"] -= 1
            data["domain"] = ""
        return data

    def create(self, name: str, domain: str) -> Record:
        """A new space, answered before its domain is provisioned (divergence space-create-domain)."""
        self._check_domain(domain)
        sid = f"org_{self.store.hex32()}"
        space: Record = {"id": sid, "name": name, "domain": domain, **stamps()}
        if self.store.counters.get(_PROVISIONING_READS):
            space["_provisioning_reads"] = self.store.counters[_PROVISIONING_READS]
        self.records[sid] = space
        return {**public(space), "domain": ""}

    def update(self, space: Record, name: str, domain: str) -> Record:
        """Rename a space and change its domain (it is provisioned from then on)."""
        self._check_domain(domain, exclude=space["id"])
        touch(space, {"name": name, "domain": domain})
        space.pop("_provisioning_reads", None)
        return public(space)

    def copy_elements(self, destination_space_id: str, elements: dict[str, list[Any]]) -> Record:
        """The ids the copies of apps, workflows, resources and queries get in the destination."""
        self.get(destination_space_id)
        s = self.store
        kinds: tuple[tuple[str, str, Callable[[Any], bool]], ...] = (
            ("app_ids", "App", s.apps.__contains__),
            ("workflow_ids", "Workflow", s.workflows.__contains__),
            ("resource_ids", "Resource", lambda item: resource_exists(s, item)),
        )
        for key, label, exists in kinds:
            for item in elements[key]:
                if not exists(item):
                    raise not_found(f'{label} with id "{item}" not found')
        return {
            key: [s.new_uuid() for _ in elements[key]]
            for key in ("resource_ids", "query_library_query_ids", "app_ids", "workflow_ids")
        }

    def _check_domain(self, domain: str, exclude: str | None = None) -> None:
        message = f'Domain "{domain}" is already used by another space'
        check_unique(self.records.values(), "domain", domain, message, exclude, status=422)
