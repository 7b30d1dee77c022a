"""`python -m retool_pulumi COMMAND`: the same as `retool-pulumi COMMAND`."""

import sys

from .cli import main

sys.exit(main())
