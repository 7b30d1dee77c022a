"""A trivial dynamic resource used to check that the Pulumi engine, the language host and the
dynamic-provider plugin work together (the foundation's smoke test). It talks to nothing."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult

_PROVIDER_KEY = "__provider"


class EchoProvider(ResourceProvider):
    """Stores its `message` input and echoes it back as `echo`."""

    serialize_as_secret_always = False

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = olds.get("message") != news.get("message")
        return DiffResult(changes=changed, replaces=[], stables=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(
            id_=f"echo-{props['message']}", outs={"message": props["message"], "echo": props["message"]}
        )

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        outs = {"message": props["message"], "echo": props["message"]}
        return ReadResult(id_=id_, outs=outs)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs={"message": news["message"], "echo": news["message"]})


class Echo(Resource):
    """A resource whose output `echo` equals its input `message`."""

    echo: pulumi.Output[str]

    def __init__(
        self, resource_name: str, message: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__(EchoProvider(), resource_name, {"message": message, "echo": None}, opts)
