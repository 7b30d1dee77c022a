"""The product does not depend on its test double: importing `retool_pulumi` (and what a Pulumi
program or the provider host uses) loads no `retool_pulumi.emulator` module."""

from __future__ import annotations

import json
import subprocess
import sys


def test_import_retool_pulumi_loads_no_emulator_module() -> None:
    code = (
        "import json, sys\n"
        "import retool_pulumi, retool_pulumi.engine, retool_pulumi.openapi, retool_pulumi.lookups\n"
        "retool_pulumi.engine.all_specs()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('retool_pulumi'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(out.stdout)
    assert "retool_pulumi.types" in loaded and "retool_pulumi.openapi" in loaded
    assert [m for m in loaded if m.startswith("retool_pulumi.emulator")] == []
