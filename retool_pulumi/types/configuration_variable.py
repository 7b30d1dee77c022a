"""Configuration variables, with a value per environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import pulumi
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..engine import Inputs, ResourceSpec, RetoolResource
from ._common import UUID


class EnvironmentValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    environment_id: Annotated[str, Field(min_length=1, description="The environment's id.")]
    value: Annotated[str, Field(description="The value in that environment.")]


def _by_environment(values: Sequence[Any]) -> list[Any]:
    # Retool does not keep the order; compare and store values sorted by environment.
    return sorted(values, key=lambda v: str(v.get("environment_id") if isinstance(v, Mapping) else v))


class ConfigurationVariableInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the variable.")]
    secret: Annotated[bool, Field(description="Whether the values are secret (Retool masks them).")]
    values: Annotated[list[EnvironmentValue], Field(description="One value per environment.")]
    description: Annotated[str | None, Field(description="What the variable is for.")] = None
    default_value: Annotated[str | None, Field(description="Used where no environment value is set.")] = None

    @field_validator("values")
    @classmethod
    def _one_per_environment(cls, values: list[EnvironmentValue]) -> list[EnvironmentValue]:
        seen = [v.environment_id for v in values]
        dupes = sorted({e for e in seen if seen.count(e) > 1})
        if dupes:
            raise ValueError(f"one value per environment; repeated environment_id: {', '.join(dupes)}")
        return sorted(values, key=lambda v: v.environment_id)


class ConfigurationVariableSpec(ResourceSpec):
    kind = "ConfigurationVariable"
    inputs = ConfigurationVariableInputs
    collection = "/configuration_variables"
    id_pattern, id_example = UUID, "18368cb2-21f6-40c4-9d54-5fc0a724219f"
    update_style = "put"
    natural_key = ("name",)
    batch_reads = True  # list items carry every field of the GET
    # Retool omits `default_value` when it holds none (the recordings); should a read omit a
    # declared one, it stands rather than becoming a perpetual diff.
    read_omits = ("default_value",)

    def hidden_fields(self, props: Mapping[str, Any]) -> set[str]:
        # The values of a secret variable (or of one not known to be plain) are secrets.
        hidden = super().hidden_fields(props)
        return hidden if props.get("secret") is False else hidden | {"values", "default_value"}

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        out = super().to_inputs(obj)
        if isinstance(out.get("values"), list):
            out["values"] = _by_environment(out["values"])
        return out


class ConfigurationVariable(RetoolResource):
    """A configuration variable. When `secret` is true its values are Pulumi secrets (encrypted in
    state) and Retool masks them on read, so a refresh keeps the declared values."""

    name: pulumi.Output[str]
    secret: pulumi.Output[bool]
    values: pulumi.Output[list[dict[str, str]]]
    description: pulumi.Output[str | None]
    default_value: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        secret: pulumi.Input[bool],
        values: pulumi.Input[Sequence[pulumi.Input[Mapping[str, pulumi.Input[str]]]]],
        description: pulumi.Input[str] | None = None,
        default_value: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        args = dict(locals())
        hidden: tuple[str, ...] = ()
        if secret is not False:  # True, or not known until deployment
            args["values"] = pulumi.Output.secret(values)
            if default_value is not None:
                args["default_value"] = pulumi.Output.secret(default_value)
            hidden = ("values", "default_value")
        super().__init__(
            resource_name, args, adopt_id=adopt_id, connection=connection, opts=opts, secret_outputs=hidden
        )
