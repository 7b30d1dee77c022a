"""The seeded organisation: what a fresh Retool instance holds (mirrors the recordings)."""

from __future__ import annotations

from ..store import Store, now
from .folder import FolderBackend, folder_record
from .group import group_record

ADMIN_EMAIL = "admin@example.com"
ADMIN_FIRST = "Admin"
ADMIN_LAST = "User"

SEEDED_GROUPS: list[tuple[str, str, str, str, str]] = [
    # name, app, resource, workflow, query library access
    ("admin", "own", "own", "own", "edit"),
    ("editor", "edit", "edit", "edit", "edit"),
    ("viewer", "use", "use", "use", "none"),
    ("All Users", "none", "none", "none", "none"),
]


def seed_store(store: Store) -> None:
    """Populate an empty store (the caller holds its lock)."""
    ts = now()
    admin_id = f"user_{store.hex32()}"
    store.admin_user_id = admin_id
    store.users[admin_id] = {
        "id": admin_id,
        "legacy_id": store.next_int("user"),
        "first_name": ADMIN_FIRST,
        "last_name": ADMIN_LAST,
        "created_at": ts,
        "last_active": ts,
        "email": ADMIN_EMAIL,
        "active": True,
        "metadata": {},
        "is_admin": True,
        "two_factor_auth_enabled": False,
        "user_type": "default",
    }

    for name, app, res, wf, ql in SEEDED_GROUPS:
        gid = store.next_int("group")
        rec = group_record(
            gid,
            name,
            ts,
            universal_app_access=app,
            universal_resource_access=res,
            universal_workflow_access=wf,
            universal_query_library_access=ql,
            user_list_access=name != "All Users",
            audit_log_access=name == "admin",
            usage_analytics_access=name == "admin",
            theme_access=name == "admin",
            account_details_access=name == "admin",
            unpublished_release_access=name in ("admin", "editor"),
        )
        if name in ("admin", "All Users"):
            rec["members"].append({"id": admin_id, "email": ADMIN_EMAIL, "is_group_admin": name == "admin"})
        store.groups[gid] = rec

    owner = f"({store.users[admin_id]['legacy_id']}) {ADMIN_FIRST} {ADMIN_LAST}"
    layout = [
        ("app", "root", None, True),
        ("app", "archive", "root:app", True),
        ("app", "personalRoot", None, True),
        ("workflow", "root", None, True),
        ("workflow", "archive", "root:workflow", True),
        ("file", "root", None, True),
        ("app", f"{owner}'s Drafts", "personalRoot:app", True),
        ("app", f"{owner}'s Trash", "drafts:app", True),
        ("resource", "root", None, True),
    ]
    named: dict[str, str] = {}
    folders = FolderBackend(store)
    for ftype, name, parent_ref, system in layout:
        fid = folders.new_id(ftype)
        parent = named[parent_ref] if parent_ref else None
        store.folders[fid] = folder_record(fid, name, parent, system, ftype, ts)
        key = "drafts" if name.endswith("Drafts") else name
        named[f"{key}:{ftype}"] = fid

    for name, desc, color, default in (
        (
            "production",
            "An environment to define the production configuration of your resources",
            "#3C92DC",
            True,
        ),
        ("staging", "An environment to define the staging configuration of your resources", "#E9AB11", False),
    ):
        eid = store.new_uuid()
        store.environments[eid] = {
            "id": eid,
            "name": name,
            "description": desc,
            "color": color,
            "default": default,
            "created_at": ts,
            "updated_at": ts,
        }

    app_root = named["root:app"]
    apps: list[tuple[str, str | None]] = [
        ("Customer Dashboard", "Overview of customer accounts"),
        ("Admin Panel", None),
    ]
    for name, app_desc in apps:
        aid = store.new_uuid()
        store.apps[aid] = {
            "id": aid,
            "name": name,
            "description": app_desc,
            "folder_id": app_root,
            "protected": False,
            "synced": False,
            "shortlink": None,
            "is_module": False,
            "is_mobile_app": False,
            "created_at": ts,
            "updated_at": ts,
            "release_version": "latest",
            "_screens": [store.new_uuid(), store.new_uuid()],
        }
    wf_root = named["root:workflow"]
    for name, cron in (("Nightly Sync", "0 3 * * *"), ("Webhook Handler", None)):
        wid = store.new_uuid()
        store.workflows[wid] = {
            "id": wid,
            "name": name,
            "description": None,
            "crontab": cron,
            "timezone": "UTC" if cron else None,
            "is_enabled": cron is not None,
            "folder_id": wf_root,
            "protected": False,
            "created_by": store.users[admin_id]["legacy_id"],
            "created_at": ts,
            "updated_at": ts,
        }

    for email, status in (("requester@example.com", "PENDING"), ("someone@example.com", "PENDING")):
        rid = store.next_int("access_request")
        store.access_requests[rid] = {
            "id": rid,
            "status": status,
            "legacy_id": rid,
            "requesting_email": email,
            "updated_by_id": None,
            "created_at": ts,
            "updated_at": ts,
        }

    store.organization = {
        "id": f"org_{store.hex32()}",
        "request_access_enabled": True,
        "ai_support_bot_disabled": False,
        "retool_forms_disabled": False,
        "release_management_enabled": False,
        "cache_queries_per_user": False,
        "apply_preloaded_css_to_homepage": False,
        "preloaded_css": None,
        "preloaded_javascript": None,
        "javascript_links": [],
        "workflow_run_retention_period_mins": 43200,
        "app_owners_permissions_management": False,
        "two_factor_auth_required": False,
        "two_factor_auth_type": None,
        "disable_new_login_ip_notification_email": False,
    }
    store.ai_settings = {"retoolAI": True, "retoolAIActions": True, "retoolVector": True, "retoolAskAI": True}
    store.source_control_settings = {
        "auto_branch_naming_enabled": False,
        "custom_pull_request_template_enabled": False,
        "custom_pull_request_template": "",
        "version_control_locked": False,
        "force_uuid_mapping": False,
        "auto_cleanup_branches_enabled": False,
    }
