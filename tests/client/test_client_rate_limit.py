"""The token bucket: shared per connection, thread-safe, configurable, off at 0."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from client_support import FakeClock, Recorder, envelope, json_response

from retool_pulumi.client import RetoolClient, TokenBucket


def test_bucket_allows_a_burst_then_spaces_requests_evenly() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=5.0, burst=3, clock=clock.monotonic)
    assert [bucket.reserve() for _ in range(6)] == pytest.approx([0, 0, 0, 0.2, 0.4, 0.6])
    clock.sleep(10)
    # Idle time refills only up to the burst.
    assert [bucket.reserve() for _ in range(4)] == pytest.approx([0, 0, 0, 0.2])


def test_bucket_hands_out_exact_slots_to_four_threads() -> None:
    clock = FakeClock()  # frozen: every reservation must queue behind the previous one
    bucket = TokenBucket(rate=10.0, burst=4, clock=clock.monotonic)
    waits: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        for _ in range(250):
            wait = bucket.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # No token handed out twice: the 1000 slots are exactly burst free ones then one per 0.1s.
    expected = [0.0] * 4 + [k / 10.0 for k in range(1, 997)]
    assert sorted(waits) == pytest.approx(expected)


def test_rate_limit_holds_for_four_threads_sharing_a_client() -> None:
    sent: list[float] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            sent.append(time.monotonic())
        return json_response(200, envelope({"ok": True}))

    # 1200 rpm = 20/s with a burst of 2: 20 requests need at least (20 - 2) / 20 = 0.9s.
    client = RetoolClient(
        "rate-limit.test",
        "token",
        requests_per_minute=1200,
        rate_limit_burst=2,
        transport=httpx.MockTransport(handler),
    )
    begin = time.monotonic()

    def worker() -> None:
        for _ in range(5):
            client.get("/users/1")

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begin
    client.close()
    assert len(sent) == 20
    assert 0.85 <= elapsed < 3.0
    sent.sort()
    tolerance = 0.1  # scheduler jitter on a loaded machine
    for i, first in enumerate(sent):
        for j in range(i, len(sent)):
            window = sent[j] - first
            assert j - i + 1 <= 2 + 20 * (window + tolerance)


def test_zero_requests_per_minute_disables_the_limit(make_client, clock: FakeClock) -> None:
    client = make_client(Recorder(json_response(200, envelope(1))), requests_per_minute=0)
    for _ in range(200):
        client.get("/users/1")
    assert clock.sleeps == []


def test_client_waits_for_its_slot(make_client, clock: FakeClock) -> None:
    client = make_client(
        Recorder(json_response(200, envelope(1))), requests_per_minute=60, rate_limit_burst=1
    )
    for _ in range(3):
        client.get("/users/1")
    assert clock.sleeps == pytest.approx([61 / 59, 61 / 59])  # 1 burst + 59 a minute (and a second spare)


def test_clients_of_one_host_share_a_bucket_and_other_hosts_do_not(make_client, clock: FakeClock) -> None:
    handler = Recorder(json_response(200, envelope(1)))
    a = make_client(handler, requests_per_minute=300)
    b = make_client(handler, requests_per_minute=300)
    other = make_client(handler, requests_per_minute=300, host="other.test")
    assert a._bucket is b._bucket
    assert a._bucket is not other._bucket


def test_default_burst_is_small() -> None:
    client = RetoolClient("burst.test", "token")
    assert client._bucket is not None
    # 300 requests a minute: 10 at once, then 290 over 61 s, so no 60 s ever sees more than 300.
    assert client._bucket.rate == pytest.approx(290 / 61)
    assert client._bucket.burst == 10
    client.close()
