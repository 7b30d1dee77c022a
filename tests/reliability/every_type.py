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
from dataclasses import dataclass, field
from typing import Any, Protocol

import pytest

from retool_pulumi.emulator import Emulator
from retool_pulumi.emulator.faults import Decision
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.errors import RetoolError


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


DROP = {"drop_after_apply": True}  # applied, then the connection drops: ambiguous, it happened
REFUSE = {"status": 503}  # refused before handling: ambiguous to the client, it did not happen


class Aim:
    """Makes the next writes fail as the emulator's faults do (`DROP`, `REFUSE`), in order."""

    def __init__(self, em: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
        self.plan: list[dict[str, Any]] = []
        self.hits = 0
        original = em.faults.decide

        def decide(mutating: bool) -> Decision:
            decision = original(mutating)
            if mutating and self.plan:
                decision = Decision(**self.plan.pop(0))
                self.hits += 1
            return decision

        monkeypatch.setattr(em.faults, "decide", decide)

    def drop_next(self) -> None:
        self.plan = [DROP]

    def refuse_next(self) -> None:
        self.plan = [REFUSE]


@dataclass
class Handle:
    id: str
    outs: dict[str, Any] = field(default_factory=dict)

    def out(self, name: str) -> Any:
        return self.outs[name]


@dataclass
class ProviderRun:
    """`make` for `every_type.declare` through the provider, as the engine calls it (check, then
    create); with `aim`, the first write of every create is dropped after it was applied."""

    aim: Aim | None = None
    errors: dict[str, str] = field(default_factory=dict)
    hit: dict[str, bool] = field(default_factory=dict)

    def make(self, kind: str, resource_name: str, /, **inputs: Any) -> Handle:
        provider = RetoolProvider(kind)
        checked = provider.check({}, {**inputs, "__provider": "x"})
        assert not checked.failures, (kind, [(f.property, f.reason) for f in checked.failures])
        hits = self.aim.hits if self.aim else 0
        if self.aim:
            self.aim.drop_next()
        try:
            created = provider.create(dict(checked.inputs))
        except RetoolError as exc:
            self.errors[resource_name] = str(exc)
            return Handle("")
        finally:
            if self.aim:
                self.hit[kind] = self.aim.hits > hits
                self.aim.plan = []
        return Handle(created.id, dict(created.outs))


class _Resource:
    """A handle on a resource of a Pulumi program."""

    def __init__(self, resource: Any) -> None:
        self.resource = resource

    @property
    def id(self) -> Any:
        return self.resource.id

    def out(self, name: str) -> Any:
        return getattr(self.resource, name)


def in_program(kind: str, resource_name: str, /, **inputs: Any) -> Made:
    """`make` for `declare` in a Pulumi program: the typed resource class of `kind`."""
    import retool_pulumi as retool

    return _Resource(getattr(retool, kind)(resource_name, **inputs))


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
