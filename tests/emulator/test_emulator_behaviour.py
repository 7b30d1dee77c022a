"""Behaviour of the emulator beyond the recordings: auth, validation, pagination, hooks, faults."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from emulator_support import call

from retool_pulumi.emulator import Emulator


def test_missing_or_wrong_token_is_401_with_retool_error_shape(retool_emulator: Emulator) -> None:
    for token in (None, "wrong"):
        status, body, _ = call(retool_emulator.base_url, "GET", "/api/v2/folders", token=token)
        assert status == 401
        assert body["success"] is False and body["message"]


def test_unknown_path_is_404_and_unimplemented_operation_is_501(retool_emulator: Emulator) -> None:
    status, body, _ = call(retool_emulator.base_url, "GET", "/api/v2/nope")
    assert status == 404 and body["success"] is False
    status, body, _ = call(retool_emulator.base_url, "GET", "/api/v2/usage/organizations")
    assert status == 501
    assert "not implemented by the retool-pulumi emulator" in body["message"]


def test_invalid_body_is_400_naming_the_field(retool_emulator: Emulator) -> None:
    status, body, _ = call(
        retool_emulator.base_url, "POST", "/api/v2/folders", {"name": "x", "folder_type": "nope"}
    )
    assert status == 400
    assert body["message"].startswith("body.folder_type: must be one of app, workflow, resource")
    status, body, _ = call(retool_emulator.base_url, "POST", "/api/v2/environments", {"name": "x"})
    assert status == 400 and body["message"] == "body.color: is required"


def test_list_without_limit_returns_everything_and_limit_pages_with_opaque_token(
    retool_emulator: Emulator,
) -> None:
    url = retool_emulator.base_url
    for i in range(5):
        call(
            url,
            "POST",
            "/api/v2/users",
            {"email": f"u{i}@example.com", "first_name": "U", "last_name": str(i)},
        )
    status, body, _ = call(url, "GET", "/api/v2/users")
    assert status == 200 and body["total_count"] == 6 and len(body["data"]) == 6
    assert body["has_more"] is False and body["next_token"] is None
    seen: list[str] = []
    token = None
    while True:
        query = "?limit=4" + (f"&next_token={token}" if token else "")
        status, page, _ = call(url, "GET", "/api/v2/users" + query)
        assert status == 200
        seen += [u["id"] for u in page["data"]]
        token = page["next_token"]
        if not page["has_more"]:
            break
    assert seen == [u["id"] for u in body["data"]]
    assert call(url, "GET", "/api/v2/users?limit=0")[0] == 400
    assert call(url, "GET", "/api/v2/users?limit=101")[0] == 400


def test_duplicate_folder_in_same_parent_is_409(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    body = {"name": "dup", "folder_type": "app"}
    first = call(url, "POST", "/api/v2/folders", body)
    assert first[0] == 200 and first[1]["data"]["parent_folder_id"] == "app_1"
    status, err, _ = call(url, "POST", "/api/v2/folders", body)
    assert status == 409 and err["success"] is False


def test_user_delete_disables_instead_of_removing(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    _, created, _ = call(
        url, "POST", "/api/v2/users", {"email": "d@example.com", "first_name": "D", "last_name": "U"}
    )
    uid = created["data"]["id"]
    assert uid.startswith("user_") and len(uid) == 37
    assert call(url, "DELETE", f"/api/v2/users/{uid}")[0] == 204
    status, user, _ = call(url, "GET", f"/api/v2/users/{uid}")
    assert status == 200 and user["data"]["active"] is False


def test_a_second_user_with_the_same_email_is_409_whatever_the_case(retool_emulator: Emulator) -> None:
    # Assumption (divergences: user-email-unique): production's answer is not recorded.
    url = retool_emulator.base_url
    ada = {"email": "ada@example.com", "first_name": "Ada", "last_name": "L"}
    status, created, _ = call(url, "POST", "/api/v2/users", ada)
    assert status == 200
    for email in ("ada@example.com", "Ada@Example.COM", "admin@example.com"):
        status, body, _ = call(url, "POST", "/api/v2/users", {**ada, "email": email})
        assert status == 409, email
        assert body["success"] is False and email in body["message"] and "already exists" in body["message"]
    # A deleted (disabled) user keeps its address.
    assert call(url, "DELETE", f"/api/v2/users/{created['data']['id']}")[0] == 204
    assert call(url, "POST", "/api/v2/users", ada)[0] == 409
    # Changing an address to another user's is the same conflict; keeping one's own is not.
    _, bob, _ = call(url, "POST", "/api/v2/users", {**ada, "email": "bob@example.com"})
    ops = {"operations": [{"op": "replace", "path": "/email", "value": "ADA@example.com"}]}
    assert call(url, "PATCH", f"/api/v2/users/{bob['data']['id']}", ops)[0] == 409
    ops = {"operations": [{"op": "replace", "path": "/email", "value": "Bob@example.com"}]}
    assert call(url, "PATCH", f"/api/v2/users/{bob['data']['id']}", ops)[0] == 200
    _, listed, _ = call(url, "GET", "/api/v2/users")
    emails = [u["email"].lower() for u in listed["data"]]
    assert len(emails) == len(set(emails))


def test_secret_configuration_variable_values_are_masked(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    env = next(iter(retool_emulator.store.environments))
    body = {"name": "s", "secret": True, "values": [{"environment_id": env, "value": "hunter2"}]}
    _, created, _ = call(url, "POST", "/api/v2/configuration_variables", body)
    assert created["data"]["values"][0]["value"] == "---encrypted-on-server---"
    stored = retool_emulator.store.configuration_variables[created["data"]["id"]]
    assert stored["values"][0]["value"] == "hunter2"


def test_access_token_value_is_returned_once(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    _, created, _ = call(url, "POST", "/api/v2/access_tokens", {"label": "ci", "scopes": ["folders:read"]})
    assert created["data"]["access_token"].endswith(created["data"]["last4"])
    _, read, _ = call(url, "GET", f"/api/v2/access_tokens/{created['data']['id']}")
    assert "access_token" not in read["data"]


def test_deleting_a_group_removes_its_grants_and_memberships(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    admin = retool_emulator.store.admin_user_id
    _, group, _ = call(
        url, "POST", "/api/v2/groups", {"name": "g", "members": [{"id": admin, "is_group_admin": False}]}
    )
    gid = group["data"]["id"]
    assert isinstance(gid, int) and group["data"]["members"][0]["id"] == admin
    grant = {
        "subject": {"type": "group", "id": gid},
        "object": {"type": "folder", "id": "app_1"},
        "access_level": "use",
    }
    assert call(url, "POST", "/api/v2/permissions/grant", grant)[0] == 200
    assert call(url, "DELETE", f"/api/v2/groups/{gid}")[0] == 204
    assert not retool_emulator.store.permissions
    status, err, _ = call(url, "GET", f"/api/v2/groups/{gid}")
    assert status == 404 and err["success"] is False


def test_an_escaped_slash_stays_inside_its_path_segment(retool_emulator: Emulator) -> None:
    # Express matches routes on the path as sent and decodes each parameter after (divergence
    # path-segments-decoded-after-routing): an id holding an encoded "/" is that id, unknown here,
    # never the longer route its decoded form would spell (which removes a group member).
    url = retool_emulator.base_url
    admin = retool_emulator.store.admin_user_id
    value = {"name": "dept", "value": "ops"}
    assert call(url, "POST", f"/api/v2/users/{admin}/user_attributes", value)[0] == 200
    status, err, _ = call(url, "DELETE", f"/api/v2/users/{admin}%2Fuser_attributes%2Fdept")
    assert status == 404 and err["message"] == f'User with id "{admin}/user_attributes/dept" not found'
    assert call(url, "GET", f"/api/v2/users/{admin}")[1]["data"]["metadata"] == {"dept": "ops"}
    # A numeric id is checked against its schema first: still the group route, not the member one.
    status, err, _ = call(url, "DELETE", f"/api/v2/groups/1%2Fmembers%2F{admin}")
    assert status == 400 and err["message"].startswith("path.groupId:")
    _, group, _ = call(url, "GET", "/api/v2/groups/1")
    assert admin in [m["id"] for m in group["data"]["members"]]
    # Each segment is decoded exactly once.
    _, space, _ = call(url, "POST", "/api/v2/spaces", {"name": "s", "domain": "s.example.com"})
    once, twice = (space["data"]["id"].replace("_", escape) for escape in ("%5F", "%255F"))
    assert call(url, "GET", f"/api/v2/spaces/{once}")[0] == 200
    status, err, _ = call(url, "GET", f"/api/v2/spaces/{twice}")
    assert status == 404 and err["message"] == f'Space with id "{once}" not found'
    # A segment that does not decode is a 400, as Express's decodeURIComponent refuses it.
    for malformed in ("%zz", "%E9", "a%"):
        status, err, _ = call(url, "GET", f"/api/v2/spaces/{malformed}")
        assert status == 400 and err["message"] == f"Failed to decode param '{malformed}'"


def test_deleting_a_folder_recursively_takes_its_contents_and_what_refers_to_them(
    retool_emulator: Emulator,
) -> None:
    url, store = retool_emulator.base_url, retool_emulator.store
    folder = call(url, "POST", "/api/v2/folders", {"name": "f", "folder_type": "app"})[1]["data"]["id"]
    body = {"name": "g", "folder_type": "app", "parent_folder_id": folder}
    sub = call(url, "POST", "/api/v2/folders", body)[1]["data"]["id"]
    kept_app = next(iter(store.apps))
    clone = {"app_id": kept_app, "new_app_name": "inner", "folder_id": sub}
    app = call(url, "POST", "/api/v2/apps/cloneApp", clone)[1]["data"]["id"]
    group = call(url, "POST", "/api/v2/groups", {"name": "landing", "landing_page_app_id": app})[1]["data"][
        "id"
    ]
    kept_group = call(url, "POST", "/api/v2/groups", {"name": "kept", "landing_page_app_id": kept_app})[1]
    res_folder = call(url, "POST", "/api/v2/folders", {"name": "r", "folder_type": "resource"})[1]["data"][
        "id"
    ]
    res = {"type": "restapi", "display_name": "api", "options": {}, "folder_id": res_folder}
    resource = call(url, "POST", "/api/v2/resources", res)[1]["data"]["id"]
    objects = [
        {"type": "folder", "id": folder},
        {"type": "folder", "id": sub},
        {"type": "app", "id": app},
        {"type": "screen", "id": store.apps[app]["_screens"][0], "appId": app},
        {"type": "folder", "id": res_folder},
        {"type": "app", "id": kept_app},
    ]
    for obj in objects:
        grant = {"subject": {"type": "group", "id": group}, "object": obj, "access_level": "use"}
        assert call(url, "POST", "/api/v2/permissions/grant", grant)[0] == 200
    assert call(url, "DELETE", f"/api/v2/folders/{folder}")[0] == 400  # not empty
    assert call(url, "DELETE", f"/api/v2/folders/{folder}?recursive=true")[0] == 204
    assert call(url, "DELETE", f"/api/v2/folders/{res_folder}?recursive=true")[0] == 204
    for gone in (f"folders/{folder}", f"folders/{sub}", f"apps/{app}", f"folders/{res_folder}"):
        assert call(url, "GET", f"/api/v2/{gone}")[0] == 404, gone
    # The resource moves out of its folder; the app's landing page and grants go with it.
    assert "folder_id" not in call(url, "GET", f"/api/v2/resources/{resource}")[1]["data"]
    assert call(url, "GET", f"/api/v2/groups/{group}")[1]["data"]["landing_page_app_id"] is None
    assert [(g["object_type"], g["object_id"]) for g in store.permissions.values()] == [("app", kept_app)]
    kept = call(url, "GET", f"/api/v2/groups/{kept_group['data']['id']}")[1]["data"]
    assert kept["landing_page_app_id"] == kept_app and call(url, "GET", f"/api/v2/apps/{kept_app}")[0] == 200


def test_grant_on_unknown_folder_is_404(retool_emulator: Emulator) -> None:
    body = {
        "subject": {"type": "group", "id": 1},
        "object": {"type": "folder", "id": "app_999"},
        "access_level": "use",
    }
    assert call(retool_emulator.base_url, "POST", "/api/v2/permissions/grant", body)[0] == 404


def test_out_of_band_store_edit_is_visible_to_clients(retool_emulator: Emulator) -> None:
    store = retool_emulator.store
    with store.lock:
        store.update("folders", "app_2", name="renamed")
    _, body, _ = call(retool_emulator.base_url, "GET", "/api/v2/folders/app_2")
    assert body["data"]["name"] == "renamed"


def test_hooks_record_requests_reset_state_and_dump(retool_emulator: Emulator) -> None:
    # The hooks take the API's bearer token (`call` sends it) and JSON bodies.
    url = retool_emulator.base_url
    call(url, "POST", "/api/v2/folders", {"name": "a", "folder_type": "app"})
    call(url, "GET", "/api/v2/folders?limit=2")
    _, log, _ = call(url, "GET", "/__emulator__/requests")
    assert log == [
        {"method": "POST", "path": "/api/v2/folders", "query": "", "status": 200},
        {"method": "GET", "path": "/api/v2/folders", "query": "limit=2", "status": 200},
    ]
    assert call(url, "DELETE", "/__emulator__/requests")[0] == 204
    assert call(url, "GET", "/__emulator__/requests")[1] == []
    _, state, _ = call(url, "GET", "/__emulator__/state")
    assert any(f["name"] == "a" for f in state["collections"]["folders"])
    assert call(url, "POST", "/__emulator__/reset", {})[0] == 200
    assert retool_emulator.store.find("folders", name="a") is None


def test_rate_limit_answers_429_with_retry_after(retool_emulator: Emulator) -> None:
    url = retool_emulator.base_url
    status, _, _ = call(url, "PUT", "/__emulator__/faults", {"requests_per_minute": 2})
    assert status == 200
    assert [call(url, "GET", "/api/v2/environments")[0] for _ in range(2)] == [200, 200]
    status, body, headers = call(url, "GET", "/api/v2/environments")
    assert status == 429 and body["success"] is False
    assert int(headers["Retry-After"]) >= 1


def test_error_rate_answers_only_chosen_statuses(retool_emulator: Emulator) -> None:
    retool_emulator.set_faults(error_rate=1.0, error_statuses=[502])
    assert call(retool_emulator.base_url, "GET", "/api/v2/folders")[0] == 502
    assert call(retool_emulator.base_url, "PUT", "/__emulator__/faults", {"error_statuses": [418]})[0] == 400


def test_drop_after_apply_applies_the_change_but_closes_without_answer(retool_emulator: Emulator) -> None:
    retool_emulator.set_faults(drop_after_apply_rate=1.0)
    conn = http.client.HTTPConnection(retool_emulator.host, timeout=5)
    body = json.dumps({"name": "dropped", "folder_type": "app"})
    conn.request("POST", "/api/v2/folders", body, {"Authorization": "Bearer test-token"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    conn.close()
    assert retool_emulator.store.find("folders", name="dropped") is not None
    assert retool_emulator.requests()[-1]["status"] is None


def test_state_file_persists_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_file=state) as em:
        call(em.base_url, "POST", "/api/v2/folders", {"name": "kept", "folder_type": "app"})
    with Emulator(state_file=state) as em:
        assert em.store.find("folders", name="kept") is not None
        _, body, _ = call(em.base_url, "POST", "/api/v2/folders", {"name": "next", "folder_type": "app"})
        assert body["data"]["id"] != em.store.find("folders", name="kept")["id"]


def test_cli_prints_base_url_once_ready_within_two_seconds() -> None:
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "retool_pulumi.emulator", "--port", "0", "--token", "cli-token"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        elapsed = time.monotonic() - start
        assert line.startswith("Retool emulator ready at http://127.0.0.1:")
        assert elapsed < 2.0, f"took {elapsed:.2f}s"
        base = line.rsplit(" ", 1)[1]
        assert call(base, "GET", "/api/v2/environments", token="cli-token")[0] == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0
