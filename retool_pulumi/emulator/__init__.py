"""An offline Retool API (`/api/v2`) for tests, demos and CI, in the spirit of moto.

from retool_pulumi.emulator import Emulator

with Emulator(token="test-token") as em:
    ...  # point RETOOL_HOST at em.host (scheme http), RETOOL_ACCESS_TOKEN at em.token
"""

from retool_pulumi.emulator.backends import Backends
from retool_pulumi.emulator.divergences import DIVERGENCES, Divergence
from retool_pulumi.emulator.server import Emulator
from retool_pulumi.emulator.store import Store

__all__ = ["DIVERGENCES", "Backends", "Divergence", "Emulator", "Store"]
