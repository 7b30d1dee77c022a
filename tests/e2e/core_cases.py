"""One lifecycle case per core Retool type, for the end-to-end tests through the real engine.

A case declares the type (version 1, then version 2) in a Pulumi program, says how to find the
object in Retool, how a person would edit it behind Pulumi's back, and which secret plaintexts
must never reach the state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi

import retool_pulumi as retool
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.errors import NotFoundError

PASSWORD = "pg-pass-5f1d0c"
TOKEN = "ghp-token-93ab10"
CLIENT_SECRET = "oidc-secret-77c2e4"
VAR_SECRET = "var-secret-2b9e61"


Live = dict[str, Any]


@dataclass
class Case:
    """`tamper` gets the emulator too, for edits Retool's API cannot make but a person in Retool's
    UI can; `secret_values` names plaintexts only known once the object exists (a token)."""

    kind: str
    declare: Callable[[int], pulumi.CustomResource]
    read: Callable[[RetoolClient, str], Live | None]
    expect: Callable[[Live, int], None]
    tamper: Callable[[RetoolClient, str, Emulator], None]
    secrets: tuple[str, ...] = ()
    secret_values: Callable[[Emulator, str], list[str]] = field(default=lambda em, id_: [])
    replaces_on_v2: bool = False
    gone: Callable[[Live | None], bool] = field(default=lambda live: live is None)


def get(path: str) -> Callable[[RetoolClient, str], dict[str, Any] | None]:
    def read(client: RetoolClient, id_: str) -> dict[str, Any] | None:
        try:
            return dict(client.get(path.format(id=id_)))
        except NotFoundError:
            return None

    return read


def expect_fields(v1: dict[str, Any], v2: dict[str, Any]) -> Callable[[dict[str, Any], int], None]:
    def check(live: dict[str, Any], version: int) -> None:
        for key, value in (v1 if version == 1 else v2).items():
            assert live.get(key) == value, f"{key}: Retool has {live.get(key)!r}, declared {value!r}"

    return check


def patch(path: str, **fields: Any) -> Callable[[RetoolClient, str, Emulator], None]:
    def tamper(client: RetoolClient, id_: str, _em: Emulator) -> None:
        ops = [{"op": "replace", "path": f"/{k}", "value": v} for k, v in fields.items()]
        client.patch(path.format(id=id_), json={"operations": ops})

    return tamper


def _folder(v: int) -> pulumi.CustomResource:
    return retool.Folder("folder", name=f"Reports v{v}", folder_type="app")


def _group(v: int) -> pulumi.CustomResource:
    return retool.Group("group", name="Analysts", universal_app_access="use" if v == 1 else "edit")


def _environment(v: int) -> pulumi.CustomResource:
    return retool.Environment(
        "env", name="qa", color="#1E88E5" if v == 1 else "#43A047", description=f"QA v{v}"
    )


def _production_id() -> pulumi.Output[str]:
    env = retool.Environment("qa-env", name="qa-vars", color="#1E88E5")
    return env.id


def _config_var(v: int) -> pulumi.CustomResource:
    env_id = _production_id()
    value = pulumi.Output.secret(f"{VAR_SECRET}-{v}")
    return retool.ConfigurationVariable(
        "var",
        name="api_key",
        secret=True,
        values=[{"environment_id": env_id, "value": value}],
        description=f"v{v}",
    )


def _user(v: int) -> pulumi.CustomResource:
    return retool.User(
        "user", email="ada@example.com", first_name="Ada", last_name="Lovelace" if v == 1 else "King"
    )


def _space(v: int) -> pulumi.CustomResource:
    return retool.Space("space", name=f"Team space v{v}", domain="team.example.com")


def _permission(v: int) -> pulumi.CustomResource:
    group = retool.Group("perm-group", name="Editors of reports")
    folder = retool.Folder("perm-folder", name="Shared reports", folder_type="app")
    return retool.Permission(
        "permission",
        subject_type="group",
        subject_id=group.id,
        object_type="folder",
        object_id=folder.id,
        access_level="use" if v == 1 else "edit",
    )


def _pg_options(v: int) -> dict[str, Any]:
    return {
        "database_options": {
            "host": "db.internal",
            "port": "5432",
            "name": f"app_v{v}",
            "username": "retool",
            "password": PASSWORD,
        }
    }


def _resource(v: int) -> pulumi.CustomResource:
    return retool.Resource("pg", type="postgresql", display_name="Orders DB", options=_pg_options(v))


def _resource_configuration(v: int) -> pulumi.CustomResource:
    resource = retool.Resource(
        "api", type="restapi", display_name="Orders API", options={"base_url": "https://api.example.com"}
    )
    env = retool.Environment("rc-env", name="qa-rc", color="#1E88E5")
    return retool.ResourceConfiguration(
        "api-qa",
        resource_id=resource.id,
        environment_id=env.id,
        options={"base_url": f"https://qa-v{v}.example.com"},
    )


def _sso(v: int) -> pulumi.CustomResource:
    return retool.SsoConfig(
        "sso",
        config_type="oidc",
        oidc_client_id=f"client-v{v}",
        oidc_client_secret=CLIENT_SECRET,
        oidc_scopes="openid email profile",
        oidc_auth_url="https://idp.example.com/auth",
        oidc_token_url="https://idp.example.com/token",
        jwt_email_key="email",
        jwt_first_name_key="given_name",
        jwt_last_name_key="family_name",
        jit_enabled=True,
        trigger_login_automatically=False,
        disable_email_password_login=False,
    )


def _source_control(v: int) -> pulumi.CustomResource:
    return retool.SourceControl(
        "git",
        provider="GitHub",
        org="acme",
        repo="retool-apps",
        default_branch="main" if v == 1 else "release",
        config={"type": "Personal", "personal_access_token": TOKEN, "url": "https://github.com"},
    )


def _source_control_settings(v: int) -> pulumi.CustomResource:
    return retool.SourceControlSettings(
        "git-settings", auto_branch_naming_enabled=v == 1, version_control_locked=v == 2
    )


def _put_settings(client: RetoolClient, _id: str, _em: Emulator) -> None:
    client.put("/source_control/settings", json={"settings": {"version_control_locked": False}})


def _put_git(client: RetoolClient, _id: str, _em: Emulator) -> None:
    live = dict(client.get("/source_control/config"))
    live["default_branch"] = "hotfix"
    live["config"] = {
        "type": "Personal",
        "personal_access_token": "someone-else",
        "url": "https://github.com",
    }
    client.put("/source_control/config", json={"config": live})


def _post_sso(client: RetoolClient, _id: str, _em: Emulator) -> None:
    live = dict(client.get("/sso/config"))
    live["oidc_client_id"] = "edited-in-retool"
    live["oidc_client_secret"] = "edited"
    client.post("/sso/config", json={"data": live})


def _revoke(client: RetoolClient, id_: str, _em: Emulator) -> None:
    _, group, _, folder = id_.split("/")
    client.post(
        "/permissions/revoke",
        json={"subject": {"type": "group", "id": int(group)}, "object": {"type": "folder", "id": folder}},
    )


def _read_grant(client: RetoolClient, id_: str) -> dict[str, Any] | None:
    _, group, _, folder = id_.split("/")
    try:
        body = {"subject": {"type": "group", "id": int(group)}, "object_type": "folder"}
        grants = client.post("/permissions/listObjects", json=body)
    except NotFoundError:  # the group itself is gone
        return None
    return next((dict(g) for g in grants if g["id"] == folder), None)


def _put_var(client: RetoolClient, id_: str, _em: Emulator) -> None:
    live = dict(client.get(f"/configuration_variables/{id_}"))
    body = {"name": live["name"], "secret": True, "values": [], "description": "edited in Retool"}
    client.put(f"/configuration_variables/{id_}", json=body)


CASES: dict[str, Case] = {
    "Folder": Case(
        "Folder",
        _folder,
        get("/folders/{id}"),
        expect_fields({"name": "Reports v1"}, {"name": "Reports v2"}),
        patch("/folders/{id}", name="renamed in Retool"),
    ),
    "Group": Case(
        "Group",
        _group,
        get("/groups/{id}"),
        expect_fields({"universal_app_access": "use"}, {"universal_app_access": "edit"}),
        patch("/groups/{id}", universal_app_access="own"),
    ),
    "Environment": Case(
        "Environment",
        _environment,
        get("/environments/{id}"),
        expect_fields({"color": "#1E88E5"}, {"color": "#43A047", "description": "QA v2"}),
        patch("/environments/{id}", color="#000000"),
    ),
    "ConfigurationVariable": Case(
        "ConfigurationVariable",
        _config_var,
        get("/configuration_variables/{id}"),
        expect_fields({"description": "v1", "secret": True}, {"description": "v2"}),
        _put_var,
        secrets=(VAR_SECRET,),
    ),
    "User": Case(
        "User",
        _user,
        get("/users/{id}"),
        expect_fields({"last_name": "Lovelace", "active": True}, {"last_name": "King"}),
        patch("/users/{id}", first_name="Augusta"),
        gone=lambda live: live is None or live.get("active") is False,
    ),
    "Space": Case(
        "Space",
        _space,
        get("/spaces/{id}"),
        expect_fields({"name": "Team space v1"}, {"name": "Team space v2"}),
        lambda client, id_, _em: client.put(
            f"/spaces/{id_}", json={"name": "edited", "domain": "team.example.com"}
        ),
    ),
    "Permission": Case(
        "Permission",
        _permission,
        _read_grant,
        expect_fields({"access_level": "use"}, {"access_level": "edit"}),
        _revoke,
    ),
    "Resource": Case(
        "Resource",
        _resource,
        get("/resources/{id}"),
        expect_fields({"display_name": "Orders DB"}, {"display_name": "Orders DB"}),
        patch("/resources/{id}", display_name="Renamed in Retool"),
        secrets=(PASSWORD,),
    ),
    "ResourceConfiguration": Case(
        "ResourceConfiguration",
        _resource_configuration,
        get("/resource_configurations/{id}"),
        lambda live, v: (
            None if live["options"]["base_url"] == f"https://qa-v{v}.example.com" else pytest_fail(live)
        ),
        patch("/resource_configurations/{id}", options={"base_url": "https://edited.example.com"}),
    ),
    "SsoConfig": Case(
        "SsoConfig",
        _sso,
        get("/sso/config"),
        expect_fields({"oidc_client_id": "client-v1"}, {"oidc_client_id": "client-v2"}),
        _post_sso,
        secrets=(CLIENT_SECRET,),
    ),
    "SourceControl": Case(
        "SourceControl",
        _source_control,
        get("/source_control/config"),
        expect_fields({"default_branch": "main"}, {"default_branch": "release"}),
        _put_git,
        secrets=(TOKEN,),
    ),
    "SourceControlSettings": Case(
        "SourceControlSettings",
        _source_control_settings,
        get("/source_control/settings"),
        expect_fields(
            {"auto_branch_naming_enabled": True, "version_control_locked": False},
            {"auto_branch_naming_enabled": False, "version_control_locked": True},
        ),
        _put_settings,
        gone=lambda live: live is not None and live.get("version_control_locked") is False,
    ),
}


def pytest_fail(live: Any) -> None:
    raise AssertionError(f"unexpected live object: {live!r}")
