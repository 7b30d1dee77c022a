"""Object permissions: grant, revoke, listObjects and accessList."""

from __future__ import annotations

from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    decode_token,
    encode_token,
    not_found,
    ok,
    route,
)
from retool_pulumi.emulator.store import Record, Store

LEVELS = {"none": 0, "use": 1, "edit": 2, "own": 3}
UNIVERSAL = {
    "app": "universal_app_access",
    "folder": "universal_app_access",
    "resource": "universal_resource_access",
}
UNIVERSAL.update(workflow="universal_workflow_access")
LIST_OBJECTS_PAGE = 100


def drop_subject(store: Store, subject_type: str, subject_id: str) -> None:
    """Forget every grant held by a deleted subject."""
    for key in [k for k in store.permissions if k[0] == subject_type and k[1] == subject_id]:
        del store.permissions[key]


def drop_object(store: Store, object_type: str, object_id: str) -> None:
    """Forget every grant on a deleted object (and on the screens of a deleted app)."""
    for key, grant in list(store.permissions.items()):
        if (key[2] == object_type and key[3] == object_id) or (
            object_type == "app" and key[2] == "screen" and grant.get("app_id") == object_id
        ):
            del store.permissions[key]


def _subject(store: Store, subject: dict[str, Any]) -> tuple[str, str]:
    kind = subject["type"]
    sid = subject.get("id")
    if kind == "group":
        if sid is None or int(sid) not in store.groups:
            raise not_found(f"Group with id {sid} not found")
        return kind, str(int(sid))
    if sid not in store.users:
        raise not_found(f'User with id "{sid}" not found')
    return kind, str(sid)


def _object(store: Store, obj: dict[str, Any]) -> tuple[str, str, str | None]:
    kind = obj["type"]
    oid = str(obj["id"])
    found: bool
    app_id: str | None = None
    if kind == "folder":
        found = oid in store.folders
    elif kind == "app":
        found = oid in store.apps
    elif kind == "screen":
        app_id = str(obj.get("appId"))
        app = store.apps.get(app_id)
        if app is None:
            raise not_found(f'App with id "{app_id}" not found')
        found = oid in app.get("_screens", [])
    elif kind == "resource":
        found = oid in store.resources or store.find("resources", display_name=oid) is not None
    elif kind == "resource_configuration":
        found = oid in store.resource_configurations
    else:
        raise ApiError(400, f"Unsupported object type {kind}")
    if not found:
        label = kind.replace("_", " ").capitalize()
        raise not_found(f'{label} with id "{oid}" not found')
    return kind, oid, app_id


def _objects_of(store: Store, subject: tuple[str, str], object_type: str) -> list[Record]:
    return [
        {"type": g["object_type"], "id": g["object_id"], "access_level": g["access_level"]}
        for k, g in store.permissions.items()
        if (k[0], k[1]) == subject and k[2] == object_type
    ]


def _answer(store: Store, subject: tuple[str, str], object_type: str) -> Result:
    items = _objects_of(store, subject, object_type)
    if object_type == "screen":
        # Screen answers carry no pagination fields in production.
        return ok(items)
    return 200, {
        "success": True,
        "data": items,
        "total_count": len(items),
        "next_token": None,
        "has_more": False,
    }


@route("POST", "/permissions/grant")
def grant(store: Store, req: Request) -> Result:
    with store.lock:
        subject = _subject(store, req.body["subject"])
        kind, oid, app_id = _object(store, req.body["object"])
        record: Record = {
            "subject_type": subject[0],
            "subject_id": subject[1],
            "object_type": kind,
            "object_id": oid,
            "access_level": req.body["access_level"],
        }
        if app_id is not None:
            record["app_id"] = app_id
        store.permissions[(subject[0], subject[1], kind, oid)] = record
        return _answer(store, subject, kind)


@route("POST", "/permissions/revoke")
def revoke(store: Store, req: Request) -> Result:
    with store.lock:
        subject = _subject(store, req.body["subject"])
        kind, oid, _ = _object(store, req.body["object"])
        store.permissions.pop((subject[0], subject[1], kind, oid), None)
        return _answer(store, subject, kind)


@route("POST", "/permissions/listObjects")
def list_objects(store: Store, req: Request) -> Result:
    with store.lock:
        subject = _subject(store, req.body["subject"])
        object_type = req.body["object_type"]
        items = _objects_of(store, subject, object_type)
        if req.body.get("include_inherited_access") and subject[0] == "user":
            best = {(i["type"], i["id"]): i for i in items}
            for g in store.groups.values():
                if any(m["id"] == subject[1] for m in g["members"]):
                    for item in _objects_of(store, ("group", str(g["id"])), object_type):
                        key = (item["type"], item["id"])
                        if (
                            key not in best
                            or LEVELS[item["access_level"]] > LEVELS[best[key]["access_level"]]
                        ):
                            best[key] = item
            items = list(best.values())
        # 100 a page, the next one asked for with ?next_token= (divergence permissions-list-objects-pages).
        token = req.query.get("next_token")
        start = decode_token(token) if token else 0
        page = items[start : start + LIST_OBJECTS_PAGE]
        more = start + len(page) < len(items)
        return 200, {
            "success": True,
            "data": page,
            "total_count": len(items),
            "next_token": encode_token(start + len(page)) if more else None,
            "has_more": more,
        }


def _access_object_exists(store: Store, object_type: str, object_id: str) -> bool:
    table = {
        "app": store.apps,
        "folder": store.folders,
        "resource": store.resources,
        "workflow": store.workflows,
    }.get(object_type)
    if table is None:
        return False
    if object_type == "resource" and store.find("resources", display_name=object_id) is not None:
        return True
    return object_id in table


@route("GET", "/permissions/accessList/{objectType}/{objectId}")
def access_list(store: Store, req: Request) -> Result:
    object_type = req.params["objectType"]
    object_id = req.params["objectId"]
    with store.lock:
        if not _access_object_exists(store, object_type, object_id):
            raise not_found(f'{object_type.capitalize()} with id "{object_id}" not found')
        groups: list[Record] = []
        group_levels: dict[int, int] = {}
        universal_field = UNIVERSAL.get(object_type)
        for g in store.groups.values():
            direct = store.permissions.get(("group", str(g["id"]), object_type, object_id))
            direct_level = LEVELS[direct["access_level"]] if direct else 0
            universal_level = LEVELS.get(g.get(universal_field, "none"), 0) if universal_field else 0
            level = max(direct_level, universal_level)
            if level == 0:
                continue
            group_levels[g["id"]] = level
            groups.append(
                {
                    "subject": {"id": str(g["id"]), "type": "group"},
                    "sources": {"direct": direct is not None, "universal": universal_level > 0},
                    "accessLevel": _name(level),
                }
            )
        users: list[Record] = []
        for u in store.users.values():
            if not u["active"]:
                continue
            direct = store.permissions.get(("user", u["id"], object_type, object_id))
            level = LEVELS[direct["access_level"]] if direct else 0
            via = [g for g in store.groups.values() if any(m["id"] == u["id"] for m in g["members"])]
            via = [g for g in via if g["id"] in group_levels]
            for g in via:
                level = max(level, group_levels[g["id"]])
            if u["is_admin"]:
                level = LEVELS["own"]
            if level == 0:
                continue
            users.append(
                {
                    "subject": {"id": u["id"], "type": "user"},
                    "sources": {
                        "direct": direct is not None,
                        "groups": [{"id": str(g["id"]), "type": "group"} for g in via],
                    },
                    "accessLevel": _name(level),
                }
            )
        return ok({"group": groups, "user": users, "userInvite": []})


def _name(level: int) -> str:
    return next(k for k, v in LEVELS.items() if v == level)
