"""Every typed resource class (what a program declares) registers a `retool:<Kind>` dynamic
resource with each argument it was given, its `connection`, `adopt_id` and `opts`, its secret
inputs and outputs marked secret, and an output property for every computed field: checked with
Pulumi's mocks, no engine."""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings
from pulumi.runtime.mocks import MockMonitor

from retool_pulumi import types
from retool_pulumi.engine import RetoolResource, all_specs, spec_for
from retool_pulumi.engine.provider import FINGERPRINTS

SECRET_SIG = "4dabf18193072939515e22adb298388d"  # how the engine protocol marks a secret value
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
CLASSES = {
    cls._kind: cls for cls in vars(types).values() if inspect.isclass(cls) and issubclass(cls, RetoolResource)
}


class _Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.made: dict[str, pulumi.runtime.MockResourceArgs] = {}
        self.requests: dict[str, Any] = {}  # the raw RegisterResource requests, by name

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.made[args.name] = args
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


class _Monitor(MockMonitor):
    def RegisterResource(self, request: Any) -> Any:
        self.mocks.requests[request.name] = request
        return super().RegisterResource(request)


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    saved, root = settings.SETTINGS, settings.get_root_resource()
    rec = _Recorder()
    pulumi.runtime.set_mocks(rec, preview=False, monitor=_Monitor(rec))
    yield rec
    settings.configure(saved)  # no mocks left behind for the tests after this one
    settings.ROOT.set(root)


def _arguments(cls: type) -> list[str]:
    params = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    return [p for p in params if p not in ("self", "resource_name", "opts")]


def _pickler_depth() -> int:
    """How many of the SDK's dict-sorting wrappers sit on `pickle._Pickler._batch_setitems`."""
    fn = pickle._Pickler.__dict__.get("_batch_setitems")
    depth = 0
    while getattr(fn, "__name__", "").startswith("batch_set_items_sorted") and fn.__closure__:
        fn = next(c.cell_contents for c in fn.__closure__ if callable(c.cell_contents))
        depth += 1
    return depth


def _plain(value: Any) -> tuple[Any, bool]:
    """(the value, whether it was wrapped as a secret) as the mocks receive it."""
    if isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_VALUE:
        return value["value"], True
    return value, False


def test_every_type_has_a_resource_class() -> None:
    assert set(CLASSES) == {spec.kind for spec in all_specs()}


def test_every_argument_reaches_the_engine_and_secrets_are_secret(recorder: _Recorder) -> None:
    made: dict[str, RetoolResource] = {}

    @pulumi.runtime.test
    def declare() -> None:
        for kind, cls in CLASSES.items():
            arguments = {name: f"{name}-{kind}" for name in _arguments(cls)}
            made[kind] = cls(
                f"r-{kind}", **arguments, opts=pulumi.ResourceOptions(import_=f"imported-{kind}")
            )

    declare()
    # Each resource undoes the pickler wrapper the SDK added for the one before (engine/resource.py).
    assert _pickler_depth() <= 1
    for kind, cls in CLASSES.items():
        spec = spec_for(kind)
        args = recorder.made[f"r-{kind}"]
        assert args.typ == f"pulumi-python:dynamic/retool:{kind}"
        assert args.resource_id == f"imported-{kind}"  # opts reached the engine
        # The provider is stored readable (it holds no secret), so state diffs stay legible.
        assert isinstance(args.inputs["__provider"], str)
        assert set(args.inputs) == {*_arguments(cls), "__provider"}
        for name in _arguments(cls):
            value, secret = _plain(args.inputs[name])
            assert value == f"{name}-{kind}", (kind, name, args.inputs[name])
            if name in spec.secret_fields:
                assert secret, f"{kind}.{name} is a secret input but was not sent as a secret"
        marked = set(recorder.requests[f"r-{kind}"].additionalSecretOutputs)
        expected = {*spec.secret_fields, *spec.secret_outputs} | ({FINGERPRINTS} if spec.encrypted else set())
        assert expected <= marked, (kind, expected - marked)
        for output in [*spec.outputs, *([FINGERPRINTS] if spec.encrypted else [])]:
            assert isinstance(getattr(made[kind], output, None), pulumi.Output), (kind, output)


def test_secret_outputs_the_program_asks_for_are_secret(recorder: _Recorder) -> None:
    """A configuration variable whose `secret` is true (or unknown) keeps its values secret."""
    cls = CLASSES["ConfigurationVariable"]

    @pulumi.runtime.test
    def declare() -> None:
        cls("var", name="K", secret=True, values=[{"environment_id": "e", "value": "v"}], default_value="d")
        cls("plain", name="P", secret=False, values=[{"environment_id": "e", "value": "v"}])

    declare()
    assert {"values", "default_value"} <= set(recorder.requests["var"].additionalSecretOutputs)
    assert _plain(recorder.made["var"].inputs["values"])[1] is True
    assert _plain(recorder.made["plain"].inputs["values"])[1] is False


# The secret inputs and outputs of each type, named here independently of the type files (a
# type's own tests check how each is masked or encrypted on read).
SECRET_INPUTS = {
    "ObservabilityConfig": {"config"},
    "Resource": {"options"},
    "ResourceConfiguration": {"options"},
    "SourceControl": {"config"},
    "SsoConfig": {"google_client_secret", "oidc_client_secret", "ldap_server_key", "ldap_server_certificate"},
}
SECRET_OUTPUTS = {"AccessToken": {"access_token"}, "UserInvite": {"invite_link"}}


def test_the_secrets_of_each_type_are_marked() -> None:
    specs = all_specs()
    assert {s.kind: set(s.secret_fields) for s in specs if s.secret_fields} == SECRET_INPUTS
    assert {s.kind: set(s.secret_outputs) for s in specs if s.secret_outputs} == SECRET_OUTPUTS
