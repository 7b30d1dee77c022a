"""Export a live Retool organisation as a Pulumi Python program that adopts it.

    retool-pulumi-export --output retool-org     # or: python -m retool_pulumi.export ...

reads every object of every registered type it can enumerate and writes `__main__.py` (one
statement per object, with `adopt_id` so the first `pulumi up` adopts instead of creating, and
`retain_on_delete` so destroying the stack leaves Retool alone), `Pulumi.yaml`,
`requirements.txt` (pinning the retool-pulumi that wrote it) and a `README.md` listing the
secret config to set first and what was not declared, and why.

- `reader`: reads the organisation into declarations and notes (what cannot be declared, and
  objects of unexpected shapes, become notes; every declaration passes check).
- `program`: the declarations and how each file is written.
- `text`: the only ways text from Retool reaches a file (code, comments, Markdown, YAML).
- `cli`: the command line, which reads the connection from the Pulumi project's stack config.
"""

from __future__ import annotations

from ..client import RetoolClient
from .cli import main
from .program import (
    ConfigKey,
    Declaration,
    ExportedProgram,
    Expr,
    Ref,
    Secret,
    check_project_name,
    render_program,
)
from .reader import Exporter

__all__ = [
    "ConfigKey",
    "Declaration",
    "ExportedProgram",
    "Exporter",
    "Expr",
    "Ref",
    "Secret",
    "export_program",
    "main",
]


def export_program(
    client: RetoolClient,
    *,
    connection: str | None = None,
    project_name: str = "retool-org",
    access_token_last4: str | None = None,
) -> ExportedProgram:
    """Read the organisation behind `client` and return the program that adopts it.

    `connection` names the connection the program uses (None: the default one).
    `access_token_last4` (the last four characters of the token `client` uses) lets the export
    find the token's owner among the organisation's access tokens and protect that user; without
    it every active admin is protected. Raises ValueError for a project name Pulumi rejects
    (before any request)."""
    check_project_name(project_name)
    exporter = Exporter(client, connection, access_token_last4)
    exporter.run()
    config = list(exporter.config.values())
    host = str(getattr(client, "base_url", ""))
    code = render_program(exporter.decls, exporter.system, exporter.notes, config, connection, host)
    return ExportedProgram(
        code=code,
        config=config,
        declarations=exporter.decls,
        notes=exporter.notes,
        project_name=project_name,
        host=host,
        connection=connection,
        protected=exporter.protected,
    )
