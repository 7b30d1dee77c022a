"""Object permissions: grants of an access level on an object to a user or a group, kept in
`store.permissions` keyed by (subject_type, subject_id, object_type, object_id)."""

from __future__ import annotations

from typing import Any

from ..store import Record
from .base import ApiError, Backend, not_found
from .resource import resource_exists

LEVELS = {"none": 0, "use": 1, "edit": 2, "own": 3}
# The group field that gives every member access to every object of a type.
UNIVERSAL = {
    "app": "universal_app_access",
    "folder": "universal_app_access",
    "resource": "universal_resource_access",
    "workflow": "universal_workflow_access",
}
Subject = tuple[str, str]


def _level_name(level: int) -> str:
    return next(k for k, v in LEVELS.items() if v == level)


class PermissionBackend(Backend):
    """Grants, revocations and who can access what."""

    def subject(self, subject: dict[str, Any]) -> Subject:
        """(type, id as text) of an existing user or group, else a 404."""
        kind = subject["type"]
        sid = subject.get("id")
        if kind == "group":
            if sid is None or int(sid) not in self.store.groups:
                raise not_found(f"Group with id {sid} not found")
            return kind, str(int(sid))
        if sid not in self.store.users:
            raise not_found(f'User with id "{sid}" not found')
        return kind, str(sid)

    def _object(self, obj: dict[str, Any]) -> tuple[str, str, str | None]:
        """(type, id, app id of a screen) of an existing object, else a 404."""
        s = self.store
        kind = obj["type"]
        oid = str(obj["id"])
        app_id: str | None = None
        if kind == "folder":
            found = oid in s.folders
        elif kind == "app":
            found = oid in s.apps
        elif kind == "screen":
            app_id = str(obj.get("appId"))
            app = s.apps.get(app_id)
            if app is None:
                raise not_found(f'App with id "{app_id}" not found')
            found = oid in app.get("_screens", [])
        elif kind == "resource":
            found = resource_exists(s, oid)
        elif kind == "resource_configuration":
            found = oid in s.resource_configurations
        else:
            raise ApiError(400, f"Unsupported object type {kind}")
        if not found:
            label = kind.replace("_", " ").capitalize()
            raise not_found(f'{label} with id "{oid}" not found')
        return kind, oid, app_id

    def objects_of(self, subject: Subject, object_type: str) -> list[Record]:
        """The subject's own grants on objects of a type."""
        return [
            {"type": g["object_type"], "id": g["object_id"], "access_level": g["access_level"]}
            for k, g in self.store.permissions.items()
            if (k[0], k[1]) == subject and k[2] == object_type
        ]

    def grant(self, subject: dict[str, Any], obj: dict[str, Any], access_level: str) -> tuple[Subject, str]:
        """Grant (or change) a subject's access level on an object; returns (subject, object type)."""
        who = self.subject(subject)
        kind, oid, app_id = self._object(obj)
        record: Record = {
            "subject_type": who[0],
            "subject_id": who[1],
            "object_type": kind,
            "object_id": oid,
            "access_level": access_level,
        }
        if app_id is not None:
            record["app_id"] = app_id
        self.store.permissions[(who[0], who[1], kind, oid)] = record
        return who, kind

    def revoke(self, subject: dict[str, Any], obj: dict[str, Any]) -> tuple[Subject, str]:
        """Take a subject's grant on an object away; returns (subject, object type)."""
        who = self.subject(subject)
        kind, oid, _ = self._object(obj)
        self.store.permissions.pop((who[0], who[1], kind, oid), None)
        return who, kind

    def list_objects(self, subject: dict[str, Any], object_type: str, inherited: bool) -> list[Record]:
        """A subject's grants on objects of a type; with `inherited`, a user's best level from its
        own grants and its groups'."""
        who = self.subject(subject)
        items = self.objects_of(who, object_type)
        if not (inherited and who[0] == "user"):
            return items
        best = {(i["type"], i["id"]): i for i in items}
        for g in self.store.groups.values():
            if any(m["id"] == who[1] for m in g["members"]):
                for item in self.objects_of(("group", str(g["id"])), object_type):
                    key = (item["type"], item["id"])
                    if key not in best or LEVELS[item["access_level"]] > LEVELS[best[key]["access_level"]]:
                        best[key] = item
        return list(best.values())

    def access_list(self, object_type: str, object_id: str) -> Record:
        """Who can access an object and why: groups (direct or universal) and active users
        (direct, through groups, or as admins)."""
        if not self._access_object_exists(object_type, object_id):
            raise not_found(f'{object_type.capitalize()} with id "{object_id}" not found')
        s = self.store
        groups: list[Record] = []
        group_levels: dict[int, int] = {}
        universal_field = UNIVERSAL.get(object_type)
        for g in s.groups.values():
            direct = s.permissions.get(("group", str(g["id"]), object_type, object_id))
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
                    "accessLevel": _level_name(level),
                }
            )
        users: list[Record] = []
        for u in s.users.values():
            if not u["active"]:
                continue
            direct = s.permissions.get(("user", u["id"], object_type, object_id))
            level = LEVELS[direct["access_level"]] if direct else 0
            via = [
                g
                for g in s.groups.values()
                if g["id"] in group_levels and any(m["id"] == u["id"] for m in g["members"])
            ]
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
                    "accessLevel": _level_name(level),
                }
            )
        return {"group": groups, "user": users, "userInvite": []}

    def _access_object_exists(self, object_type: str, object_id: str) -> bool:
        s = self.store
        if object_type == "resource":
            return resource_exists(s, object_id)
        table = {"app": s.apps, "folder": s.folders, "workflow": s.workflows}.get(object_type)
        return table is not None and object_id in table
