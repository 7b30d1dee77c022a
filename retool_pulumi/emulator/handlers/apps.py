"""Apps and workflows: seeded, readable, clonable and deletable."""

from __future__ import annotations

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    listing,
    no_content,
    not_found,
    ok,
    route,
)
from retool_pulumi.emulator.store import Record, Store, now, public


def get_app(store: Store, app_id: str) -> Record:
    """The app or a 404."""
    app = store.apps.get(app_id)
    if app is None:
        raise not_found(f'App with id "{app_id}" not found')
    return app


@route("GET", "/apps")
def list_apps(store: Store, req: Request) -> Result:
    with store.lock:
        needle = (req.query.get("name_contains") or "").lower()
        items = [a for a in store.apps.values() if needle in a["name"].lower()]
        return listing(req, items)


@route("GET", "/apps/{appId}")
def read_app(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(public(get_app(store, req.params["appId"])))


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
        folder = store.folders.get(folder_id)
        if folder is None:
            raise not_found(f'Folder with id "{folder_id}" not found')
        if folder["folder_type"] != "app":
            raise ApiError(400, f"Folder {folder_id} is not an app folder")
        ts = now()
        aid = store.new_uuid()
        clone = {
            **source,
            "id": aid,
            "name": body["new_app_name"],
            "folder_id": folder_id,
            "protected": False,
            "synced": False,
            "shortlink": None,
            "created_at": ts,
            "updated_at": ts,
            "_screens": [store.new_uuid() for _ in source.get("_screens", [])],
        }
        store.apps[aid] = clone
        return ok(public(clone))


@route("GET", "/workflows")
def list_workflows(store: Store, req: Request) -> Result:
    with store.lock:
        return listing(req, store.workflows.values())


@route("GET", "/workflows/{workflowId}")
def read_workflow(store: Store, req: Request) -> Result:
    with store.lock:
        wf = store.workflows.get(req.params["workflowId"])
        if wf is None:
            raise not_found(f'Workflow with id "{req.params["workflowId"]}" not found')
        return ok(public(wf))


@route("DELETE", "/workflows/{workflowId}")
def delete_workflow(store: Store, req: Request) -> Result:
    from retool_pulumi.emulator.handlers.permissions import drop_object

    with store.lock:
        wf = store.workflows.get(req.params["workflowId"])
        if wf is None:
            raise not_found(f'Workflow with id "{req.params["workflowId"]}" not found')
        del store.workflows[wf["id"]]
        drop_object(store, "workflow", wf["id"])
        return no_content()
