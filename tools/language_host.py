"""A Python language host for the Pulumi engine, built on the Pulumi Python SDK.

The Go module proxy reachable here does not serve the upstream host
(github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3 answers 403), so
`pulumi up` in a project directory would have no `pulumi-language-python` plugin.
This host serves the engine's LanguageRuntime protocol with the SDK's own runtime
server (the one the Automation API uses for inline programs) and runs the project's
`__main__.py` in-process, in the project's virtualenv. The engine itself is the real
Go binary; only the program launcher is ours.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
from concurrent import futures
from typing import Any

import grpc
from pulumi import log
from pulumi.automation import _server
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2_grpc

MONITOR_GONE = "Resource monitor has terminated, shutting down"


class _QuietLog:
    """`pulumi.log` for the SDK's LanguageServer, without the "monitor has terminated" error it
    logs when the engine stopped the program because of an error the engine reported already."""

    def __getattr__(self, name: str) -> Any:
        return getattr(log, name)

    @staticmethod
    def error(msg: str, *args: Any, **kwargs: Any) -> None:
        if msg != MONITOR_GONE:
            log.error(msg, *args, **kwargs)


_server.log = _QuietLog()  # type: ignore[assignment]


class ProjectLanguageServer(LanguageServer):
    """Runs the project program named by each Run request."""

    def __init__(self) -> None:
        super().__init__(self._program)
        self._entry: str = ""

    def _program(self) -> None:
        runpy.run_path(self._entry, run_name="__main__")

    def Run(self, request: Any, context: Any) -> Any:
        pwd = request.pwd or os.getcwd()
        info = request.info
        program_dir = info.program_directory or os.path.join(pwd, request.program or ".")
        entry = info.entry_point or "."
        path = os.path.join(program_dir, entry)
        if os.path.isdir(path):
            path = os.path.join(path, "__main__.py")
        os.chdir(pwd)
        if program_dir not in sys.path:
            sys.path.insert(0, program_dir)
        self._entry = path
        result = super().Run(request, context)
        if result.error:
            # LanguageServer logged the error already; a bail makes the engine not repeat it.
            result.bail, result.error = True, ""
        return result


def main() -> None:
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)],
    )
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(ProjectLanguageServer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    # The engine ends its plugins with SIGINT (then SIGKILL); stop quietly.
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    # A `pulumi` killed with SIGKILL cannot stop its plugins: leave once it is gone (re-parented).
    parent = os.getppid()

    def watch_parent() -> None:
        while not stop.wait(0.5):
            if parent > 1 and os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch_parent, daemon=True).start()
    stop.wait()
    server.stop(0)


if __name__ == "__main__":
    main()
