"""One declaration of every Retool type that can be created, for the reliability tests that
must cover them all (ambiguous creates at provider level, kills through the real engine).

`declare(make, tag)` makes each type once through `make(kind, name, **inputs)`, which returns a
handle with `.id` and `.out(field)`: plain values at provider level, Pulumi outputs in a
program (so dependencies order the creates as the engine would). Names carry `tag`, so copies
can live side by side; the organisation's singletons and the one observability configuration
per provider come with `tag == "t0"` (Sentry) and `"t1"` (Datadog) only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from retool_pulumi.emulator import Emulator


class Made(Protocol):
    @property
    def id(self) -> Any: ...

    def out(self, field: str) -> Any: ...


Make = Callable[..., Made]


def declare(make: Make, tag: str) -> None:
    """Every creatable type (see the module docstring)."""
    env = make("Environment", f"env-{tag}", name=f"env-{tag}", color="#1E88E5")
    group = make("Group", f"group-{tag}", name=f"group-{tag}", universal_app_access="use")
    user = make("User", f"user-{tag}", email=f"user-{tag}@example.com", first_name="Ada", last_name="L")
    folder = make("Folder", f"folder-{tag}", name=f"folder-{tag}", folder_type="app")
    pg = make(
        "Resource",
        f"pg-{tag}",
        type="postgresql",
        display_name=f"pg-{tag}",
        options={
            "database_options": {
                "host": "db.internal",
                "port": "5432",
                "name": "app",
                "username": "retool",
                "password": f"pw-{tag}",
            }
        },
    )
    make(
        "ResourceConfiguration",
        f"pg-conf-{tag}",
        resource_id=pg.id,
        environment_id=env.id,
        options={"database_options": {"host": "qa-db.internal", "port": "5432", "name": "app"}},
    )
    make(
        "ConfigurationVariable",
        f"var-{tag}",
        name=f"var_{tag}",
        secret=True,
        values=[{"environment_id": env.id, "value": f"secret-{tag}"}],
    )
    make("Space", f"space-{tag}", name=f"space-{tag}", domain=f"{tag}.spaces.example.com")
    make(
        "Permission",
        f"perm-{tag}",
        subject_type="group",
        subject_id=group.id,
        object_type="folder",
        object_id=folder.id,
        access_level="use",
    )
    make("GroupMember", f"member-{tag}", group_id=group.id, user_id=user.id, is_group_admin=False)
    attr = make("UserAttribute", f"attr-{tag}", name=f"attr_{tag}", label="Attribute", data_type="string")
    make(
        "UserAttributeValue", f"attr-value-{tag}", user_id=user.id, attribute_name=attr.out("name"), value="x"
    )
    make("UserInvite", f"invite-{tag}", email=f"invite-{tag}@example.com", default_group_ids=[group.id])
    role = make(
        "Role", f"role-{tag}", name=f"role-{tag}", object_scopes=["apps:read"], organization_scopes=[]
    )
    make("RoleGrant", f"grant-{tag}", role_id=role.id, subject_type="group", subject_id=group.id)
    make("AppTheme", f"theme-{tag}", name=f"theme-{tag}", theme={"primary": "#1E88E5"})
    make("AccessToken", f"token-{tag}", label=f"token-{tag}", scopes=["apps:read"])
    make("CustomComponentLibrary", f"lib-{tag}", name=f"lib_{tag}", label=f"Library {tag}", description=None)
    if tag == "t0":
        make(
            "ObservabilityConfig",
            "sentry",
            config={"provider": "Sentry", "dsn": "https://k@o1.ingest.sentry.io/7"},
            enabled=True,
        )
        make("OrganizationSettings", "org", request_access_enabled=False)
        make("AiSettings", "ai", retool_vector=False)
        make(
            "SsoConfig",
            "sso",
            config_type="google",
            google_client_id="cid.apps.googleusercontent.com",
            google_client_secret="g-secret",
            disable_email_password_login=False,
        )
        make(
            "SourceControl",
            "git",
            provider="GitHub",
            org="acme",
            repo="retool-apps",
            default_branch="main",
            config={"type": "Personal", "personal_access_token": "ghp-secret", "url": "https://github.com"},
        )
        make("SourceControlSettings", "git-settings", auto_branch_naming_enabled=True)
    if tag == "t1":
        make(
            "ObservabilityConfig",
            "datadog",
            config={"provider": "Datadog", "api_key": "dd-key"},
            enabled=True,
        )


def census(em: Emulator) -> Counter[str]:
    """How many objects of each kind Retool holds, nested ones included (group members, user
    attribute values, grants): a duplicate of anything shows as a higher count."""
    data = em.store.dump()
    counts: Counter[str] = Counter({name: len(items) for name, items in data["collections"].items()})
    for group in data["collections"].get("groups", []):
        counts["group members"] += len(group.get("members") or [])
    for user in data["collections"].get("users", []):
        counts["user attribute values"] += len(user.get("metadata") or {})
    counts["permissions"] = len(data.get("permissions") or [])
    for name, value in data.get("singletons", {}).items():
        counts[f"singleton {name}"] = int(value is not None)
    return counts
