"""Declarative description of one Retool object type, and the registry of all of them.

A type is an `Inputs` model (fields, constraints and docs taken from the spec, with `REPLACE`
and `SECRET` markers) plus a `ResourceSpec` subclass (endpoints, id, computed outputs, update
style). The default methods of `ResourceSpec` drive the common REST shape; a type overrides a
method only for a real quirk of its endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal

import jsonpatch
from pydantic import BaseModel, ConfigDict

from ..client import RetoolClient, api_path
from ..errors import NotFoundError, UnexpectedResponseError
from .values import normalize, same


class Marker:
    """Annotated metadata: `name: Annotated[str, REPLACE]`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


REPLACE = Marker("REPLACE")  # a change of this field replaces the object
SECRET = Marker("SECRET")  # a secret input: wrapped as a Pulumi secret, masked on read

META_FIELDS = ("connection", "adopt_id")


class Inputs(BaseModel):
    """Base of every type's input model: unknown fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


UpdateStyle = Literal["patch", "put", "post", "replace"]

_REGISTRY: dict[str, ResourceSpec] = {}


def spec_for(kind: str) -> ResourceSpec:
    """The registered spec of `kind` (imports every type on first use)."""
    if kind not in _REGISTRY:
        from .. import types  # noqa: F401  (registers the types)
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown Retool type {kind!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def id_text(value: Any) -> str:
    """An id as text: the engine hands numbers over as floats (12.0 is the id "12")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def all_specs() -> list[ResourceSpec]:
    from .. import types  # noqa: F401

    return list(_REGISTRY.values())


class ResourceSpec:
    """How one Retool object type maps onto the REST API. Subclass and set the class attributes."""

    kind: ClassVar[str]  # the Pulumi type name, e.g. "Folder"
    inputs: ClassVar[type[Inputs]]
    collection: ClassVar[str]  # e.g. "/folders"
    id_field: ClassVar[str] = "id"
    # The form of this type's ids (a regular expression, matched in full) and one example: an
    # `adopt_id` must match before any request. Empty for singletons, whose id is fixed.
    id_pattern: ClassVar[str] = ""
    id_example: ClassVar[str] = ""
    outputs: ClassVar[tuple[str, ...]] = ()  # computed fields copied from the API object
    update_style: ClassVar[UpdateStyle] = "patch"
    patch_replace_only: ClassVar[bool] = True  # the PATCH endpoint takes only `replace` operations
    delete_before_replace: ClassVar[bool] = False
    # After a create whose answer was lost (the server may have applied it), a retry must not
    # make a second object. Every creatable type says how (tests/reliability checks each does):
    natural_key: ClassVar[tuple[str, ...]] = ()  # inputs that identify an object: look it up
    create_repeatable: ClassVar[bool] = False  # creating it twice leaves one (a grant): send it again
    # Outputs only the create answer carries (a token's value): an object whose answer was lost
    # cannot be adopted, so `find_created_since` finds it to tell the user instead.
    returned_once: ClassVar[tuple[str, ...]] = ()
    # One object per organisation at `collection` itself (SSO, source control, settings): its
    # id is `singleton_id`, creating it adopts what is there, and an empty read means "none".
    singleton: ClassVar[bool] = False
    singleton_id: ClassVar[str] = ""
    secret_outputs: ClassVar[tuple[str, ...]] = ()  # outputs always stored as secrets
    write_only: ClassVar[tuple[str, ...]] = ()  # inputs the API never returns: keep the declared value
    encrypted: ClassVar[tuple[str, ...]] = ()  # secrets returned encrypted: keep declared, detect rotation
    # Dotted paths of inputs a read may leave out although they are set (production omits them):
    # an absent one keeps its declared value, a present one is compared as usual.
    read_omits: ClassVar[tuple[str, ...]] = ()
    server_defaults: ClassVar[Mapping[str, Any]] = {}  # dotted path -> value the server adds on its own
    # Optional inputs whose None is itself a declaration (e.g. "in the root folder"), so a value
    # set in Retool is drift; other undeclared optional inputs are left to Retool.
    managed_when_none: ClassVar[tuple[str, ...]] = ()
    # The list endpoint (`collection`) returns items with every field of the item's GET, so a
    # refresh may read them from one listing (see `engine.cache`). Off unless the type says so.
    batch_reads: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            _REGISTRY[cls.kind] = cls()

    # ---- description -------------------------------------------------------------------------
    @property
    def fields(self) -> list[str]:
        return list(self.inputs.model_fields)

    def has_marker(self, field: str, marker: Marker) -> bool:
        return any(m is marker for m in self.inputs.model_fields[field].metadata)

    @property
    def replace_fields(self) -> list[str]:
        return [f for f in self.fields if self.has_marker(f, REPLACE)]

    @property
    def secret_fields(self) -> list[str]:
        return [f for f in self.fields if self.has_marker(f, SECRET)]

    def replaces(self, olds: Mapping[str, Any], news: Mapping[str, Any], changes: list[str]) -> list[str]:
        """The changed fields that force a replacement (override when that depends on the values,
        e.g. a nested field that cannot change in place)."""
        return [f for f in changes if f in self.replace_fields]

    def hidden_fields(self, props: Mapping[str, Any]) -> set[str]:
        """Fields whose values a check failure must not echo (secrets; may depend on `props`)."""
        return set(self.secret_fields)

    def inputs_of(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The declared API fields among `props` (drops meta fields, outputs and None)."""
        return {f: props[f] for f in self.fields if props.get(f) is not None}

    def id_problem(self, id_: str) -> str | None:
        """Why `id_` cannot be an id of this type, or None when it can."""
        if self.id_pattern and not re.fullmatch(self.id_pattern, id_):
            return (
                f"{id_!r} is not a {self.kind} id: expected one like {self.id_example!r} "
                f"(matching {self.id_pattern})"
            )
        return None

    # ---- REST shape (override for quirks) -----------------------------------------------------
    def item_path(self, id_: str) -> str:
        """The object's own path; the id is escaped into one segment (see `client.api_path`)."""
        return self.collection if self.singleton else api_path(f"{self.collection}/{{}}", id_)

    def object_id(self, obj: Mapping[str, Any]) -> str:
        return self.singleton_id if self.singleton else str(obj[self.id_field])

    def body(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON body for create / PUT from declared inputs."""
        return dict(normalize(dict(inputs)))

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """Input fields as the API reports them."""
        return {f: obj[f] for f in self.fields if f in obj}

    def resolve(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Declared inputs in the form the API takes (e.g. `None` parent -> the root folder id)."""
        return dict(inputs)

    def unresolve(self, client: RetoolClient, obj: dict[str, Any]) -> dict[str, Any]:
        """An API object in the form the program declares it (the inverse of `resolve`)."""
        return obj

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        return dict(client.post(self.collection, json=self.body(inputs)))

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        """The object, or None when Retool says it is gone (its own 404; for a singleton, an
        empty answer). A success holding no object is an error: reading it as "gone" would drop
        the object from state."""
        path = self.item_path(id_)
        try:
            found = client.get(path)
        except NotFoundError:
            return None
        if isinstance(found, dict) and (found or self.singleton):
            got = found.get(self.id_field)
            if not self.singleton and got is not None and str(got).lower() != id_.lower():
                # Taking another object's id into state would point updates and deletes at it.
                raise UnexpectedResponseError(
                    200, "GET", path, f"asked for {self.kind} {id_!r}, the answer is {self.kind} {got!r}"
                )
            return dict(found)
        if self.singleton and not found:
            return None
        raise UnexpectedResponseError(
            200, "GET", path, f"the answer holds no {self.kind} object (got {type(found).__name__})"
        )

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        if self.update_style == "put":
            return dict(client.put(self.item_path(id_), json=self.body(news)))
        if self.update_style == "post":
            return dict(client.post(self.collection, json=self.body(news), retry_safe=True))
        ops = self.patch_operations(olds, news)
        if not ops:
            obj = self.read_object(client, id_, news)
            if obj is None:
                raise NotFoundError(404, "GET", self.item_path(id_), f"{self.kind} {id_} no longer exists")
            return obj
        return dict(client.patch(self.item_path(id_), json={"operations": ops}))

    def patch_operations(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[dict[str, Any]]:
        """JSON Patch from the old to the new body: top-level `replace`s where that is all the
        endpoint takes (a cleared field becomes null), a full RFC 6902 patch otherwise."""
        old, new = self.body(olds), self.body(news)
        if not self.patch_replace_only:
            return list(jsonpatch.make_patch(old, new).patch)
        return [
            {"op": "replace", "path": f"/{k}", "value": new.get(k)}
            for k in sorted(set(old) | set(new))
            if not same(old.get(k), new.get(k))
        ]

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        try:
            client.delete(self.item_path(id_))
        except NotFoundError:
            pass

    def list_objects(self, client: RetoolClient) -> Iterator[dict[str, Any]]:
        yield from client.paginate(self.collection)

    def find_created_since(
        self, client: RetoolClient, inputs: Mapping[str, Any], since: datetime | None
    ) -> list[dict[str, Any]]:
        """For a type with `returned_once`: the objects like `inputs` that Retool created at or after
        `since` (at any time when None), i.e. what a create whose answer was lost may have made."""
        raise NotImplementedError(f"{self.kind} has returned_once outputs but no find_created_since")

    def find_existing(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        """The object whose natural key matches `inputs`, if any (after an ambiguous create)."""
        if not self.natural_key:
            return None
        for obj in self.list_objects(client):
            found = self.to_inputs(self.unresolve(client, obj))
            if all(same(found.get(k), inputs.get(k)) for k in self.natural_key):
                return obj
        return None
