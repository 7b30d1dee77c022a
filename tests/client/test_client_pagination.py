"""paginate(): limit=100 and next_token while has_more; plain arrays pass through."""

from __future__ import annotations

import httpx
from client_support import Recorder, envelope, json_response


def page(items: list[int], next_token: str | None, has_more: bool) -> httpx.Response:
    data = [{"id": i} for i in items]
    return json_response(200, envelope(data, total_count=7, next_token=next_token, has_more=has_more))


def test_paginate_follows_next_token_across_three_pages(make_client) -> None:
    recorder = Recorder(page([1, 2, 3], "t2", True), page([4, 5, 6], "t3", True), page([7], None, False))
    client = make_client(recorder)
    assert [item["id"] for item in client.paginate("/users", {"email": "a@b.c"})] == [1, 2, 3, 4, 5, 6, 7]
    queries = [dict(r.url.params) for r in recorder.requests]
    assert queries == [
        {"email": "a@b.c", "limit": "100"},
        {"email": "a@b.c", "limit": "100", "next_token": "t2"},
        {"email": "a@b.c", "limit": "100", "next_token": "t3"},
    ]


def test_paginate_is_lazy(make_client) -> None:
    recorder = Recorder(page([1, 2], "t2", True), page([3], None, False))
    items = make_client(recorder).paginate("/apps")
    assert next(items) == {"id": 1}
    assert recorder.count == 1


def test_list_all_collects_every_page(make_client) -> None:
    recorder = Recorder(page([1], "t2", True), page([2], None, False))
    assert make_client(recorder).list_all("/resources") == [{"id": 1}, {"id": 2}]


def test_plain_array_endpoint_passes_through_without_limit(make_client) -> None:
    folders = [{"id": "app_1", "folder_type": "app"}, {"id": "file_6", "folder_type": "file"}]
    recorder = Recorder(json_response(200, envelope(folders, total_count=2, next_token=None, has_more=False)))
    assert make_client(recorder).list_all("/folders") == folders
    # The spec gives /folders no limit parameter, so none is sent.
    assert "limit" not in recorder.requests[0].url.params


def test_bare_array_body_passes_through(make_client) -> None:
    recorder = Recorder(json_response(200, [{"id": 1}, {"id": 2}]))
    assert make_client(recorder).list_all("/undocumented") == [{"id": 1}, {"id": 2}]
    assert recorder.requests[0].url.params["limit"] == "100"


def test_caller_limit_is_kept(make_client) -> None:
    recorder = Recorder(page([1], None, False))
    make_client(recorder).list_all("/users", {"limit": 10})
    assert recorder.requests[0].url.params["limit"] == "10"


def test_has_more_without_next_token_stops(make_client) -> None:
    recorder = Recorder(page([1], None, True), page([2], None, False))
    assert make_client(recorder).list_all("/users") == [{"id": 1}]
    assert recorder.count == 1


def test_a_repeated_next_token_stops_instead_of_looping(make_client) -> None:
    recorder = Recorder(page([1], "same", True), page([2], "same", True), page([3], None, False))
    assert make_client(recorder).list_all("/users") == [{"id": 1}, {"id": 2}]
    assert recorder.count == 2


def test_a_single_object_is_yielded_once_and_empty_data_yields_nothing(make_client) -> None:
    assert make_client(Recorder(json_response(200, envelope({"id": 1})))).list_all("/users") == [{"id": 1}]
    assert make_client(Recorder(json_response(200, envelope([])))).list_all("/users") == []
    # No data at all is no listing (test_client_hostile), never "nothing there".


def test_pages_are_retried_individually(make_client) -> None:
    recorder = Recorder(
        page([1], "t2", True), json_response(503, {"success": False, "message": "x"}), page([2], None, False)
    )
    assert make_client(recorder).list_all("/users") == [{"id": 1}, {"id": 2}]
    assert recorder.requests[2].url.params["next_token"] == "t2"
