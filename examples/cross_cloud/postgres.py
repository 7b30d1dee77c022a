"""A small PostgreSQL provider for this example, as Pulumi dynamic resources: `Role`, `Database`
and `RandomPassword` (what the pulumi-postgresql and pulumi-random plugins would give, when
plugins cannot be downloaded).

Pulumi stores each resource's provider pickled (by dill) in its state and the dynamic-provider
process unpickles it for every operation. The classes here are pickled *by reference*
(`postgres.RoleProvider`): the dynamic-provider process runs in the project directory, where
this module is importable, and an edit of this file never shows up as a diff of every
resource (as it would if the code were pickled by value).

Every resource connects to the server with the admin credentials of a `Server`; the admin and
role passwords are Pulumi secrets (encrypted in state, `[secret]` in the engine's output)."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pulumi
from psycopg import sql
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult

_SERVER_FIELDS = ("host", "port", "admin_user", "admin_password")


@dataclass
class Server:
    """Where the provider connects, and as whom (a role allowed to create roles and databases)."""

    host: pulumi.Input[str]
    port: pulumi.Input[int]
    admin_user: pulumi.Input[str]
    admin_password: pulumi.Input[str]

    def props(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "admin_user": self.admin_user,
            "admin_password": pulumi.Output.secret(self.admin_password),
        }


@contextmanager
def _admin(props: dict[str, Any]) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(
        host=props["host"],
        port=int(props["port"]),
        user=props["admin_user"],
        password=props["admin_password"],
        dbname="postgres",
        autocommit=True,  # CREATE/DROP DATABASE cannot run in a transaction
        connect_timeout=10,
    ) as conn:
        yield conn


def _diff(
    olds: dict[str, Any], news: dict[str, Any], fields: tuple[str, ...], replace: set[str]
) -> DiffResult:
    changed = [f for f in fields if olds.get(f) != news.get(f)]
    return DiffResult(
        changes=bool(changed),
        replaces=[f for f in changed if f in replace],
        delete_before_replace=any(f in replace for f in changed),
    )


class RoleProvider(ResourceProvider):
    """CREATE / ALTER / DROP ROLE. The password is sent as a SQL literal, never logged."""

    serialize_as_secret_always = False  # pickled by reference: nothing secret in `__provider`

    def create(self, props: dict[str, Any]) -> CreateResult:
        with _admin(props) as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(props["name"]), sql.Literal(props["password"])
                )
            )
        return CreateResult(props["name"], dict(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return _diff(olds, news, ("name", "password", *_SERVER_FIELDS), {"name", "host", "port"})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if olds.get("password") != news.get("password"):
            with _admin(news) as conn:
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(news["name"]), sql.Literal(news["password"])
                    )
                )
        return UpdateResult(dict(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with _admin(props) as conn:
            found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (id_,)).fetchone()
        return ReadResult(id_, dict(props)) if found else ReadResult("", {})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with _admin(props) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(id_)))


class Role(Resource, module="postgresql", name="Role"):
    """A login role with a password (a Pulumi secret)."""

    name: pulumi.Output[str]
    password: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        server: Server,
        name: pulumi.Input[str],
        password: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {**server.props(), "name": name, "password": pulumi.Output.secret(password)}
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["password", "admin_password"])
        )
        super().__init__(RoleProvider(), resource_name, props, opts)


class DatabaseProvider(ResourceProvider):
    """CREATE / ALTER / DROP DATABASE, owned by a role."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        with _admin(props) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(props["name"]), sql.Identifier(props["owner"])
                )
            )
        return CreateResult(props["name"], dict(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return _diff(olds, news, ("name", "owner", *_SERVER_FIELDS), {"name", "host", "port"})

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if olds.get("owner") != news.get("owner"):
            with _admin(news) as conn:
                conn.execute(
                    sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                        sql.Identifier(news["name"]), sql.Identifier(news["owner"])
                    )
                )
        return UpdateResult(dict(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with _admin(props) as conn:
            row = conn.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (id_,)
            ).fetchone()
        return ReadResult(id_, {**props, "owner": row[0]}) if row else ReadResult("", {})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with _admin(props) as conn:
            # FORCE ends the sessions still connected (PostgreSQL 13 and later).
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(id_)))


class Database(Resource, module="postgresql", name="Database"):
    """A database owned by `owner`."""

    name: pulumi.Output[str]
    owner: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        server: Server,
        name: pulumi.Input[str],
        owner: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {**server.props(), "name": name, "owner": owner}
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["admin_password"])
        )
        super().__init__(DatabaseProvider(), resource_name, props, opts)


_ALPHABET = string.ascii_letters + string.digits


class RandomPasswordProvider(ResourceProvider):
    """A password drawn once, at create, and kept in state (encrypted) from then on."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        result = "".join(secrets.choice(_ALPHABET) for _ in range(int(props["length"])))
        return CreateResult(secrets.token_hex(8), {**props, "result": result})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return _diff(olds, news, ("length",), {"length"})


class RandomPassword(Resource, module="random", name="RandomPassword"):
    """A generated password (`result`, a Pulumi secret); changing `length` draws a new one."""

    result: pulumi.Output[str]

    def __init__(self, resource_name: str, *, length: int = 24, opts: pulumi.ResourceOptions | None = None):
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["result"])
        )
        super().__init__(RandomPasswordProvider(), resource_name, {"length": length, "result": None}, opts)
