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
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2_grpc


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
        return super().Run(request, context)


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
    stop.wait()
    server.stop(0)


if __name__ == "__main__":
    main()
