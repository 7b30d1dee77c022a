"""`python -m retool_pulumi.export`: the same as `retool-pulumi-export`."""

import sys

from .cli import main

sys.exit(main())
