"""The client against answers the emulator sends only when asked (its opt-in answer shapes, see
`emulator.faults`): a stale `next_token` on the last page, bare 404s, and an unsafe POST whatever
verb helper sends it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.errors import NotFoundError, ServerError, UnexpectedResponseError


@pytest.fixture
def client(retool_emulator: Emulator) -> Iterator[RetoolClient]:
    made = RetoolClient(
        retool_emulator.host,
        retool_emulator.token,
        scheme="http",
        requests_per_minute=0,
        max_retries=2,
        sleep=lambda _seconds: None,
    )
    yield made
    made.close()


def _listings(em: Emulator, path: str) -> list[str]:
    return [r["query"] for r in em.requests() if r["method"] == "GET" and r["path"] == f"/api/v2{path}"]


def test_a_next_token_on_the_last_page_is_not_followed(
    retool_emulator: Emulator, client: RetoolClient
) -> None:
    for n in range(3):
        client.post("/groups", json={"name": f"team-{n}"})
    expected = [g["id"] for g in client.list_all("/groups")]
    retool_emulator.clear_requests()
    retool_emulator.set_faults(stale_next_token=True)
    got = [g["id"] for g in client.list_all("/groups")]
    assert got == expected and len(set(got)) == len(got) >= 3
    assert len(_listings(retool_emulator, "/groups")) == 1  # has_more: false ends the listing


def test_a_next_token_on_the_last_of_several_pages_is_not_followed(
    retool_emulator: Emulator, client: RetoolClient
) -> None:
    for n in range(4):
        client.post("/users", json={"email": f"u{n}@example.com", "first_name": "U", "last_name": f"{n}"})
    expected = [u["id"] for u in client.list_all("/users")]
    retool_emulator.clear_requests()
    retool_emulator.set_faults(stale_next_token=True)
    got = [u["id"] for u in client.paginate("/users", params={"limit": 2})]
    assert got == expected and len(set(got)) == len(got) >= 4
    assert len(_listings(retool_emulator, "/users")) == -(-len(expected) // 2)  # one request a page


def test_a_404_without_retools_body_is_an_error_not_gone(
    retool_emulator: Emulator, client: RetoolClient
) -> None:
    retool_emulator.set_faults(bare_404=True)
    with pytest.raises(UnexpectedResponseError) as caught:
        client.get("/groups/987654")
    assert not isinstance(caught.value, NotFoundError)
    assert "404" in str(caught.value)
    with pytest.raises(UnexpectedResponseError):
        client.delete("/groups/987654")
    retool_emulator.set_faults(bare_404=False)
    with pytest.raises(NotFoundError):
        client.get("/groups/987654")


@pytest.mark.parametrize("send", ["request", "post"])
def test_a_post_is_sent_once_on_a_503_whichever_method_sends_it(
    retool_emulator: Emulator, client: RetoolClient, send: str
) -> None:
    retool_emulator.set_faults(error_rate=1.0, error_statuses=[503])
    with pytest.raises(ServerError):
        if send == "request":
            client.request("POST", "/groups", json={"name": "once"})
        else:
            client.post("/groups", json={"name": "once"})
    assert [r["method"] for r in retool_emulator.requests()] == ["POST"]


def test_a_post_declared_retry_safe_and_a_get_are_retried_on_a_503(
    retool_emulator: Emulator, client: RetoolClient
) -> None:
    retool_emulator.set_faults(error_rate=1.0, error_statuses=[503])
    with pytest.raises(ServerError):
        client.request("POST", "/groups", json={"name": "again"}, retry_safe=True)
    with pytest.raises(ServerError):
        client.request("GET", "/groups")
    assert [r["method"] for r in retool_emulator.requests()] == ["POST"] * 3 + ["GET"] * 3
