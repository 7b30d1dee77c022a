"""examples/promotion through the real engine: three stacks, each managing its own Retool (an
emulator each), deployed from the same code; then a code change promoted dev -> staging -> prod,
checking after every step that each Retool holds exactly what its stage should."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from pulumi import automation as auto

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from tests.examples.example_support import EXAMPLES, changes, copy_example, example_stack

pytestmark = pytest.mark.engine

STAGES = ("dev", "staging", "prod")
PROJECT = "retool-promotion"
SEEDED_GROUPS = {"admin", "editor", "viewer", "All Users"}
T = TypeVar("T")


def stage_config(stage: str) -> dict[str, str]:
    """The committed per-stack settings of `stage`, without the project prefix."""
    raw = yaml.safe_load((EXAMPLES / "promotion" / f"Pulumi.{stage}.yaml").read_text())["config"]
    return {k.split(":", 1)[1]: str(v) for k, v in raw.items() if k.startswith(f"{PROJECT}:")}


def expected(stage: str, api_version: str) -> dict[str, Any]:
    """What the Retool of `stage` should hold, from its Pulumi.<stage>.yaml and the code's API version."""
    cfg = stage_config(stage)
    db_host, replicas = cfg["ordersDbHost"], int(cfg["readReplicas"])
    resources: dict[str, Any] = {
        "Orders DB": (
            "postgresql",
            {"database_options": {"host": db_host, "port": "5432", "name": "orders"}},
        ),
        "Orders API": ("restapi", {"base_url": f"https://orders-api.{stage}.internal/{api_version}"}),
    }
    for n in range(1, replicas + 1):
        options = {"database_options": {"host": f"replica-{n}.{db_host}", "port": "5432", "name": "orders"}}
        resources[f"Orders DB replica {n}"] = ("postgresql", options)
    return {
        "environments": {"production", "staging", "preview"},
        "preview_color": cfg["color"].upper(),
        "resources": resources,
        "variables": {
            "feature_new_checkout": {"production": cfg["newCheckout"].lower(), "preview": "true"},
            "orders_api_version": {"production": api_version, "preview": api_version},
        },
        "groups": {
            "Engineers": (cfg["engineerAccess"], cfg["engineerAccess"], stage != "prod"),
            "Support": ("none", "none", False),
        },
        "support_folder_access": {"Orders": cfg["supportAccess"]},
    }


def contents(em: Emulator) -> dict[str, Any]:
    """What this Retool holds, as a person would read it (options from the store: the API never
    returns a resource's options)."""
    client = RetoolClient(em.host, em.token, scheme="http", requests_per_minute=0)
    try:
        envs = {e["id"]: e for e in client.paginate("/environments")}
        env_names = {i: e["name"] for i, e in envs.items()}
        resources = {
            r["display_name"]: (r["type"], em.store.resources[r["id"]]["_options"])
            for r in client.paginate("/resources")
        }
        variables = {
            v["name"]: {env_names[x["environment_id"]]: x["value"] for x in v["values"]}
            for v in client.paginate("/configuration_variables")
        }
        groups = {g["name"]: g for g in client.paginate("/groups") if g["name"] not in SEEDED_GROUPS}
        folders = {f["id"]: f["name"] for f in client.paginate("/folders")}
        support_access: dict[str, str] = {}
        if "Support" in groups:
            body = {"subject": {"type": "group", "id": groups["Support"]["id"]}, "object_type": "folder"}
            for grant in client.post("/permissions/listObjects", json=body):
                support_access[folders[grant["id"]]] = grant["access_level"]
        preview = [e for e in envs.values() if e["name"] == "preview"]
        return {
            "environments": {e["name"] for e in envs.values()},
            "preview_color": preview[0]["color"].upper() if preview else None,
            "resources": resources,
            "variables": variables,
            "groups": {
                name: (
                    g["universal_app_access"],
                    g["universal_resource_access"],
                    g["unpublished_release_access"],
                )
                for name, g in groups.items()
            },
            "support_folder_access": support_access,
        }
    finally:
        client.close()


def each_stage(operation: Callable[[str], T]) -> dict[str, T]:
    """`operation` on every stage at once (independent stacks: only promotion is sequential)."""
    with ThreadPoolExecutor(len(STAGES)) as pool:
        return dict(zip(STAGES, pool.map(operation, STAGES)))


@pytest.fixture
def retools() -> Iterator[dict[str, Emulator]]:
    """One Retool (emulator) per stage, each with its own token."""
    ems = {stage: Emulator(token=f"{stage}-token", validate_responses=True).start() for stage in STAGES}
    try:
        yield ems
        violations = [v for em in ems.values() for v in em.violations]
        assert not violations, "emulator responses violated the spec:\n" + "\n".join(violations)
    finally:
        for em in ems.values():
            em.stop()
        connection.reset_clients()


def test_change_is_promoted_dev_staging_prod(tmp_path: Path, retools: dict[str, Emulator]) -> None:
    project = copy_example("promotion", tmp_path)
    backend = tmp_path / "backend"
    stacks: dict[str, auto.Stack] = {}
    for stage, em in retools.items():
        st = example_stack(project, stage, backend)
        st.set_config("retool:host", auto.ConfigValue(em.host))
        st.set_config("retool:scheme", auto.ConfigValue("http"))
        st.set_config("retool:accessToken", auto.ConfigValue(em.token, secret=True))
        stacks[stage] = st

    def check(versions: dict[str, str]) -> None:
        for stage, version in versions.items():
            assert contents(retools[stage]) == expected(stage, version), (
                f"the {stage} Retool is not as declared"
            )

    # 1. Every stage deployed from the same code: what differs comes from Pulumi.<stage>.yaml.
    for stage, up in each_stage(lambda stage: stacks[stage].up()).items():
        assert up.outputs["stage"].value == stage
        assert up.outputs["ordersApiVersion"].value == "v1"
    check({"dev": "v1", "staging": "v1", "prod": "v1"})
    for stage in STAGES:
        assert stacks[stage].get_config("retool:accessToken").secret, "the token must be a secret"
    colors = {contents(em)["preview_color"] for em in retools.values()}
    assert len(colors) == 3, "each stage has its own colour"

    # 2. The change: a code edit (the API version), the same file for every stage.
    main = project / "__main__.py"
    code = main.read_text()
    assert code.count('ORDERS_API_VERSION = "v1"') == 1
    main.write_text(code.replace('ORDERS_API_VERSION = "v1"', 'ORDERS_API_VERSION = "v2"'))

    # 3. Promotion, one stage at a time: preview shows what will change, up applies it there only.
    promoted: dict[str, str] = {"dev": "v1", "staging": "v1", "prod": "v1"}
    for stage in STAGES:
        pending = changes(stacks[stage].preview().change_summary)
        assert pending == {"update": 2}, f"{stage}: the Orders API and the version variable, got {pending}"
        up = stacks[stage].up()
        assert changes(up.summary.resource_changes) == {"update": 2}
        promoted[stage] = "v2"
        check(promoted)  # this stage has the change, the later ones not yet

    for stage, preview in each_stage(lambda stage: stacks[stage].preview()).items():
        assert changes(preview.change_summary) == {}, f"{stage} must preview clean"

    # 4. Tear down: each Retool is back to its seeded contents.
    each_stage(lambda stage: stacks[stage].destroy())
    for stage in STAGES:
        left = contents(retools[stage])
        assert left["resources"] == {} and left["variables"] == {} and left["groups"] == {}, left
        assert left["environments"] == {"production", "staging"}
