"""Migrate from Terraform: convert the `retool_*` resources of a Terraform state into a Pulumi
program that adopts them.

    retool-pulumi from-terraform terraform.tfstate --output retool-org

reads a state of format version 4 (`terraform state pull > terraform.tfstate` for a remote
one) and writes the same project as `retool-pulumi-export`: `__main__.py` (one statement per
resource instance of the twelve types of Retool's Terraform provider, named after it, with
`adopt_id` and `retain_on_delete`), `Pulumi.yaml`, `requirements.txt` and a README with the
secrets to set (commands that read them from the state), the hand-over from Terraform
(`terraform state rm` of what moved) and what was not carried over.

- `state`: reading the state file (nothing about Retool).
- `schema`: what Retool's Terraform provider keeps in a state.
- `converter`: the resource instances into declarations (the exporter's `ProgramBuilder`).
- `program`: the project, through the exporter's `ExportedProgram`.
- `cli`: `retool-pulumi from-terraform`.
"""

from __future__ import annotations

from .program import MigratedProgram, convert_state
from .state import Instance, StateError, load_state, parse_state

__all__ = ["Instance", "MigratedProgram", "StateError", "convert_state", "load_state", "parse_state"]
