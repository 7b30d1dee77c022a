"""Apps and workflows: seeded, readable, clonable and deletable."""

from __future__ import annotations

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    delete_route,
    get_or_404,
    list_route,
    listing,
    no_content,
    ok,
    read_route,
    route,
    stamps,
)
from retool_pulumi.emulator.store import Record, Store, public


def get_app(store: Store, app_id: str) -> Record:
    """The app or a 404."""
    return get_or_404(store.apps, app_id, "App")


def get_workflow(store: Store, workflow_id: str) -> Record:
    """The workflow or a 404."""
    return get_or_404(store.workflows, workflow_id, "Workflow")


@route("GET", "/apps")
def list_apps(store: Store, req: Request) -> Result:
    with store.lock:
        needle = (req.query.get("name_contains") or "").lower()
        items = [a for a in store.apps.values() if needle in a["name"].lower()]
        return listing(req, items)


read_app = read_route("/apps/{appId}", get_app)


@route("DELETE", "/apps/{appId}")
def delete_app(store: Store, req: Request) -> Result:
    from retool_pulumi.emulator.handlers.permissions import drop_object

    with store.lock:
        app = get_app(store, req.params["appId"])
        del store.apps[app["id"]]
        drop_object(store, "app", app["id"])
        for g in store.groups.values():
            if g["landing_page_app_id"] == app["id"]:
                g["landing_page_app_id"] = None
        return no_content()


@route("POST", "/apps/cloneApp")
def clone_app(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        source = get_app(store, body["app_id"])
        folder_id = body.get("folder_id", source["folder_id"])
        folder = get_or_404(store.folders, folder_id, "Folder")
        if folder["folder_type"] != "app":
            raise ApiError(400, f"Folder {folder_id} is not an app folder")
        aid = store.new_uuid()
        clone = {
            **source,
            "id": aid,
            "name": body["new_app_name"],
            "folder_id": folder_id,
            "protected": False,
            "synced": False,
            "shortlink": None,
            **stamps(),
            "_screens": [store.new_uuid() for _ in source.get("_screens", [])],
        }
        store.apps[aid] = clone
        return ok(public(clone))


list_workflows = list_route("/workflows", "workflows")
read_workflow = read_route("/workflows/{workflowId}", get_workflow)


delete_workflow = delete_route("/workflows/{workflowId}", "workflows", get_workflow, "workflow")
