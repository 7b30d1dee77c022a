"""Every typed resource class (what a program declares) hands the engine each argument it was
given, its `connection` and `adopt_id`, and `opts`: checked with Pulumi's mocks, no engine."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings

from retool_pulumi import types
from retool_pulumi.engine import RetoolResource, all_specs, spec_for

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how the engine protocol marks a secret value
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
CLASSES = {
    cls._kind: cls for cls in vars(types).values() if inspect.isclass(cls) and issubclass(cls, RetoolResource)
}


class _Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.made: dict[str, pulumi.runtime.MockResourceArgs] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.made[args.name] = args
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    saved, root = settings.SETTINGS, settings.get_root_resource()
    rec = _Recorder()
    pulumi.runtime.set_mocks(rec, preview=False)
    yield rec
    settings.configure(saved)  # no mocks left behind for the tests after this one
    settings.ROOT.set(root)


def _arguments(cls: type) -> list[str]:
    params = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    return [p for p in params if p not in ("self", "resource_name", "opts")]


def test_every_type_has_a_resource_class() -> None:
    assert set(CLASSES) == {spec.kind for spec in all_specs()}


def _plain(value: Any) -> tuple[Any, bool]:
    """(the value, whether it was wrapped as a secret) as the mocks receive it."""
    if isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_VALUE:
        return value["value"], True
    return value, False


def test_every_argument_reaches_the_engine_and_secret_inputs_are_secret(recorder: _Recorder) -> None:
    @pulumi.runtime.test
    def declare() -> None:
        for kind, cls in CLASSES.items():
            arguments = {name: f"{name}-{kind}" for name in _arguments(cls)}
            cls(f"r-{kind}", **arguments, opts=pulumi.ResourceOptions(import_=f"imported-{kind}"))

    declare()
    for kind, cls in CLASSES.items():
        made = recorder.made[f"r-{kind}"]
        assert made.typ == f"retool:index:{kind}" or made.typ.endswith(f":{kind}"), made.typ
        assert made.resource_id == f"imported-{kind}"  # opts reached the engine
        secret_fields = set(spec_for(kind).secret_fields)
        for name in _arguments(cls):
            value, secret = _plain(made.inputs.get(name))
            assert value == f"{name}-{kind}", (kind, name, made.inputs.get(name))
            if name in secret_fields:
                assert secret, f"{kind}.{name} is a secret input but was not sent as a secret"
