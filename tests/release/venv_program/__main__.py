"""Runs in whatever virtualenv Pulumi.yaml names: reports, from the program and from the dynamic
provider, which interpreter and which packages it ran with, and manages one real Retool folder."""

import importlib.metadata
import sys

import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

import retool_pulumi as retool


def whereabouts() -> dict[str, str]:
    import retool_pulumi  # imported where this runs: the program, or the dynamic provider

    found = {"prefix": sys.prefix, "retool_pulumi": retool_pulumi.__file__}
    try:
        import venv_marker  # only in the project's virtualenv, never in the checkout's

        found["marker"] = venv_marker.__file__
    except ImportError:
        found["marker"] = ""
    return found


class WhereaboutsProvider(ResourceProvider):
    def create(self, props: dict) -> CreateResult:
        return CreateResult("whereabouts", whereabouts())


class Whereabouts(Resource):
    prefix: pulumi.Output[str]
    retool_pulumi: pulumi.Output[str]
    marker: pulumi.Output[str]

    def __init__(self, name: str) -> None:
        super().__init__(WhereaboutsProvider(), name, {"prefix": None, "retool_pulumi": None, "marker": None})


provider = Whereabouts("provider-whereabouts")
folder = retool.Folder("venv-folder", name="Made from the project virtualenv", folder_type="app")

pulumi.export("program", whereabouts())
pulumi.export(
    "provider",
    {"prefix": provider.prefix, "retool_pulumi": provider.retool_pulumi, "marker": provider.marker},
)
pulumi.export("version", retool.__version__)
pulumi.export("distribution_version", importlib.metadata.version("retool-pulumi"))
pulumi.export("folder_id", folder.id)
