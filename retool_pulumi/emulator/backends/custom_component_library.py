"""Custom component libraries (ids chosen by the client or generated, unique names) and their
revisions."""

from __future__ import annotations

import copy

from ..store import Record
from .base import ApiError, Collection, not_found, stamps


class CustomComponentLibraryBackend(Collection):
    """Custom component libraries and their revisions (kept in `store.library_revisions`)."""

    collection = "custom_component_libraries"
    label = "Custom component library"
    unknown = (404, "Custom component library not found.")

    def by_id(self, library_id: str) -> list[Record]:
        """The library with this id, alone in a list (divergence custom-component-libraries-by-id)."""
        lib = self.records.get(library_id)
        return [lib] if lib is not None else []

    def create(self, name: str, label: str, description: str | None, library_id: str | None) -> Record:
        """A new library (409 if its id or name is taken)."""
        lid = library_id or self.store.new_uuid()
        if lid in self.records:
            raise ApiError(409, "A library with the provided ID already exists.")
        if self.store.find(self.collection, name=name) is not None:
            raise ApiError(409, f'A library named "{name}" already exists.')
        return self.insert({"id": lid, "name": name, "description": description, "label": label, **stamps()})

    def revisions(self, library_id: str) -> list[Record]:
        """The revisions of a library (404 for an unknown library)."""
        lib = self.get(library_id)
        return [
            r for r in self.store.library_revisions.values() if r["custom_component_library_id"] == lib["id"]
        ]

    def create_revision(self, library_id: str) -> Record:
        """A new (empty) revision, numbered after the library's others."""
        lib = self.get(library_id)
        count = len(self.revisions(lib["id"]))
        rid = self.store.new_uuid()
        rev = {
            "id": rid,
            "version": str(count + 1),
            "custom_component_library_id": lib["id"],
            **stamps(),
            "_files": [],
        }
        self.store.library_revisions[rid] = rev
        return self.render(rev)

    def revision_files(self, library_id: str, revision_id: str) -> list[Record]:
        """The files of one of the library's revisions."""
        lib = self.get(library_id)
        rev = self.store.library_revisions.get(revision_id)
        if rev is None or rev["custom_component_library_id"] != lib["id"]:
            raise not_found("Custom component library revision not found.")
        files: list[Record] = copy.deepcopy(rev["_files"])
        return files
