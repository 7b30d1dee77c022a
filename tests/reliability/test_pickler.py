"""The pickling workaround of `engine.resource.reset_dynamic_pickler`, at provider level: the SDK
wraps `pickle._Pickler._batch_setitems` once more on every serialisation of a dynamic provider
(pulumi 3.272), so a process serialising about 1,000 of them hits the recursion limit unless the
wrappers are peeled off. `make pulumi-range` runs this with the lowest and the highest pulumi
that pyproject allows; the engine-level counterpart is test_large_program.py."""

from __future__ import annotations

import pickle

from pulumi.dynamic.dynamic import serialize_provider

from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.resource import reset_dynamic_pickler

N = 1500  # past the ~970 at which the nested wrappers exceed Python's recursion limit


def _depth() -> int:
    """How many dict-sorting wrappers sit on `_batch_setitems`."""
    fn = pickle._Pickler.__dict__.get("_batch_setitems")
    depth = 0
    while getattr(fn, "__name__", "").startswith("batch_set_items_sorted") and fn.__closure__:
        fn = next(c.cell_contents for c in fn.__closure__ if callable(c.cell_contents))
        depth += 1
    return depth


def test_serialising_many_providers_in_one_process_stays_one_wrapper_deep() -> None:
    pickled = set()
    for i in range(N):
        reset_dynamic_pickler()
        pickled.add(serialize_provider(RetoolProvider("Group" if i % 2 else "Folder")))
        assert _depth() <= 1
    assert len(pickled) == 2  # the same bytes every time: nothing else leaks into the pickle
