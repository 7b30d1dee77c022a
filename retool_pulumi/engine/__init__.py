"""The generic engine: a `ResourceSpec` per Retool type becomes a dynamic provider and a typed
resource class."""

from .provider import RetoolProvider
from .resource import RetoolResource
from .spec import REPLACE, SECRET, Inputs, ResourceSpec, all_specs, spec_for

__all__ = [
    "REPLACE",
    "SECRET",
    "Inputs",
    "ResourceSpec",
    "RetoolProvider",
    "RetoolResource",
    "all_specs",
    "spec_for",
]
