"""unix_socket_path sends requests over a Unix domain socket (a real local server)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import socketserver
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from retool_pulumi.client import RetoolClient
from retool_pulumi.connection import get_client, set_stack_config

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix domain sockets")


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str | None]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Host"), self.headers.get("Authorization")))
        body = json.dumps({"success": True, "data": {"via": "uds"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # client_address is "" on a UDS
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def socket_path() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="rp-", dir="/tmp")  # short: AF_UNIX paths max ~100 bytes
    path = os.path.join(directory, "retool.sock")
    server = Server(path, Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.seen = []
    yield path
    server.shutdown()
    server.server_close()
    shutil.rmtree(directory, ignore_errors=True)


def test_requests_travel_over_the_unix_socket(socket_path: str) -> None:
    with RetoolClient("retool.internal", "tok", scheme="http", unix_socket_path=socket_path) as client:
        assert client.get("/users/1") == {"via": "uds"}
    assert Handler.seen == [("/api/v2/users/1", "retool.internal", "Bearer tok")]


def test_socket_path_from_stack_config_needs_no_host(socket_path: str) -> None:
    set_stack_config(
        {"retool:unixSocketPath": socket_path, "retool:accessToken": "tok", "retool:scheme": "http"}
    )
    assert get_client().get("/users/1") == {"via": "uds"}
    assert Handler.seen[0][1] == "localhost"
