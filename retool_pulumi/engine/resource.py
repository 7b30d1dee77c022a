"""The base of every typed Retool resource class."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from .. import connection as connections
from .provider import FINGERPRINTS, RETOOL_HOST, RetoolProvider
from .spec import ResourceSpec, spec_for

_SORTING_WRAPPERS = ("batch_set_items_sorted_before_py14", "batch_set_items_sorted")


def reset_dynamic_pickler() -> None:
    """Undo the nesting the SDK's `serialize_provider` leaves behind.

    Each serialisation of a dynamic provider wraps `pickle._Pickler._batch_setitems` in one more
    dict-sorting layer and never restores it (pulumi 3.272), so after about 970 dynamic
    resources in one process pickling fails with "maximum recursion depth exceeded": a program
    of 1,000 objects, or a process running several programs (tools/bench.py did). Peeling the
    layers off before each resource keeps the depth at one; the output is the same.
    """
    fn: Any = pickle._Pickler.__dict__.get("_batch_setitems")
    original: Any = fn
    while getattr(original, "__name__", "") in _SORTING_WRAPPERS and getattr(original, "__closure__", None):
        cells = [c.cell_contents for c in original.__closure__ if callable(c.cell_contents)]
        if not cells:
            break
        original = cells[0]
    if original is not fn:
        pickle._Pickler._batch_setitems = original  # type: ignore[attr-defined]


_NOT_INPUTS = {"self", "resource_name", "opts", "adopt_id", "connection", "__class__"}


class RetoolResource(Resource):
    """A Retool object managed by Pulumi (a dynamic resource of type `retool:<Kind>`).

    Every subclass takes `adopt_id` (bring an existing object under management instead of creating
    one) and `connection` (a named connection from stack config `retool:connections`). Every
    resource has the output `retool_host`: the address of the Retool it lives in.
    """

    retool_host: pulumi.Output[str]

    _kind: ClassVar[str]

    def __init_subclass__(cls, kind: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(module="retool", name=kind or cls.__name__, **kwargs)
        cls._kind = kind or cls.__name__

    def __init__(
        self,
        resource_name: str,
        args: Mapping[str, Any],
        *,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
        secret_outputs: tuple[str, ...] = (),
    ) -> None:
        # Before anything is registered: a plain-text token would be saved in the state.
        connections.check_secret_config()
        spec = spec_for(self._kind)
        props: dict[str, Any] = {k: v for k, v in args.items() if k not in _NOT_INPUTS and v is not None}
        for field in spec.secret_fields:
            if field in props:
                # Secret inputs stay encrypted in state even when the program passed plain text.
                props[field] = pulumi.Output.secret(props[field])
        props["adopt_id"] = adopt_id
        props["connection"] = connection
        for name in (*spec.outputs, RETOOL_HOST):
            props.setdefault(name, None)
        if spec.encrypted:
            props[FINGERPRINTS] = None
        secrets = [*spec.secret_fields, *spec.secret_outputs, *secret_outputs]
        if spec.encrypted:  # digests of server-side secrets: no use to anyone reading the state
            secrets.append(FINGERPRINTS)
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=secrets))
        reset_dynamic_pickler()
        super().__init__(RetoolProvider(self._kind), resource_name, props, opts)

    @classmethod
    def spec(cls) -> ResourceSpec:
        return spec_for(cls._kind)
