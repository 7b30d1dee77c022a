"""The quickstart program (placeholder until the Retool types land): one dynamic resource."""

import pulumi

from retool_pulumi.smoke import Echo

echo = Echo("hello", message="hello from retool-pulumi")
pulumi.export("echo", echo.echo)
