"""examples/cross_cloud through the real engine, against a real PostgreSQL server and the Retool
emulator: the databases and roles exist and the roles log in with their passwords; Retool's
resource and its per-environment configurations point at them with working credentials; no
password is ever in plaintext in the exported state or the engine's output; destroy drops the
databases and roles and removes the Retool resource."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pulumi import automation as auto

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.errors import NotFoundError
from tests.engine import export_state
from tests.examples.example_support import changes, copy_example, example_stack
from tests.examples.postgres_server import PostgresServer

pytestmark = pytest.mark.engine

PRODUCTION_PASSWORD = "Orders-prod-Pw-7c41e2"  # given in config; the staging one is generated
DATABASES = {"production": "orders", "staging": "orders_staging"}


def _admin_query(pg: PostgresServer, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(pg.conninfo(), connect_timeout=10) as conn:
        return conn.execute(query, args).fetchall()


def _can_log_in(pg: PostgresServer, dbname: str, user: str, password: str) -> bool:
    try:
        with psycopg.connect(pg.conninfo(dbname, user, password), connect_timeout=10) as conn:
            return conn.execute("SELECT current_user, current_database()").fetchone() == (user, dbname)
    except psycopg.OperationalError:
        return False


def _found(secrets: dict[str, str], text: str) -> list[str]:
    """The names (never the values) of the secrets that occur in `text`."""
    return [name for name, value in secrets.items() if value in text]


def test_database_role_and_retool_resource_in_one_program(
    tmp_path: Path,
    postgres_server: PostgresServer,
    retool_emulator: Emulator,
    retool_env: dict[str, str],
    retool_client: RetoolClient,
) -> None:
    pg = postgres_server
    project = copy_example("cross_cloud", tmp_path)
    st = example_stack(project, "test", tmp_path / "backend", env=retool_env)
    st.set_config("postgresql:host", auto.ConfigValue(pg.host))
    st.set_config("postgresql:port", auto.ConfigValue(str(pg.port)))
    st.set_config("postgresql:username", auto.ConfigValue(pg.admin_user))
    st.set_config("postgresql:password", auto.ConfigValue(pg.admin_password, secret=True))
    st.set_config("productionPassword", auto.ConfigValue(PRODUCTION_PASSWORD, secret=True))

    output: list[str] = []
    up = st.up(on_output=output.append, diff=True)
    assert changes(up.summary.resource_changes) == {"create": 9}, up.summary.resource_changes
    output += [up.stdout, up.stderr]

    # PostgreSQL: the databases exist, owned by their roles, which log in with their passwords.
    owners = dict(
        _admin_query(
            pg,
            "SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = ANY(%s)",
            list(DATABASES.values()),
        )
    )
    assert owners == {db: f"retool_{db}" for db in DATABASES.values()}

    # Retool: the resource points at the production database; each environment's configuration
    # at its own, with the role's password (Retool holds it: the API masks it, the store does not).
    resource_id = up.outputs["retoolResourceId"].value
    resource = retool_client.get(f"/resources/{resource_id}")
    assert (resource["type"], resource["display_name"]) == ("postgresql", "Orders DB")
    stored = retool_emulator.store.resources[resource_id]["_options"]["database_options"]
    assert {k: stored[k] for k in ("host", "port", "name", "username")} == {
        "host": pg.host,
        "port": str(pg.port),
        "name": "orders",
        "username": "retool_orders",
    }
    assert stored["password"] == PRODUCTION_PASSWORD
    config_ids = up.outputs["resourceConfigurationIds"].value
    assert set(config_ids) == set(DATABASES)
    passwords: dict[str, str] = {}
    for environment, database in DATABASES.items():
        conf = retool_client.get(f"/resource_configurations/{config_ids[environment]}")
        assert conf["resource"]["id"] == resource_id
        assert retool_client.get(f"/environments/{conf['environment']['id']}")["name"] == environment
        opts = retool_emulator.store.resource_configurations[config_ids[environment]]["_options"]
        db_opts = opts["database_options"]
        assert (db_opts["host"], db_opts["port"], db_opts["name"], db_opts["username"]) == (
            pg.host,
            str(pg.port),
            database,
            f"retool_{database}",
        )
        passwords[environment] = db_opts["password"]
        # What Retool holds is what PostgreSQL accepts.
        assert _can_log_in(pg, database, f"retool_{database}", db_opts["password"]), environment
        assert not _can_log_in(pg, database, f"retool_{database}", db_opts["password"] + "x")
    assert passwords["production"] == PRODUCTION_PASSWORD
    assert len(passwords["staging"]) == 32 and passwords["staging"] != PRODUCTION_PASSWORD

    # A second run changes nothing (the generated password is kept in state).
    assert changes(st.preview(on_output=output.append, diff=True).change_summary) == {}

    # Secrets: encrypted in the exported state, never printed by the engine.
    secrets = {
        **{f"{env} role password": pw for env, pw in passwords.items()},
        "admin password": pg.admin_password,
    }
    state = json.dumps(export_state(st))
    assert "retool_orders_staging" in state  # the state is really the one we looked at
    assert _found(secrets, state) == [], "in plaintext in the exported state"
    printed = "\n".join(output)
    assert "[secret]" in printed and "retool_orders_staging" in printed  # the diff was printed
    assert _found(secrets, printed) == [], "in the engine's output"

    # Destroy: databases and roles dropped, the Retool resource and its configurations gone.
    destroyed = st.destroy(on_output=output.append)
    assert changes(destroyed.summary.resource_changes) == {"delete": 9}
    assert (
        _admin_query(pg, "SELECT datname FROM pg_database WHERE datname = ANY(%s)", list(DATABASES.values()))
        == []
    )
    assert _admin_query(pg, "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", "retool%") == []
    with pytest.raises(NotFoundError):
        retool_client.get(f"/resources/{resource_id}")
    assert retool_emulator.store.resource_configurations == {}
    assert _found(secrets, "\n".join(output)) == [], "in the engine's output of destroy"
