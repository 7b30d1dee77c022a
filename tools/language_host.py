"""A Python language host for the Pulumi engine, built on the Pulumi Python SDK.

The Go module proxy reachable here does not serve the upstream host
(github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3 answers 403), so
`pulumi up` in a project directory would have no `pulumi-language-python` plugin.
This host serves the engine's LanguageRuntime protocol with the SDK's own runtime
server (the one the Automation API uses for inline programs). The engine itself is the real
Go binary; only the program launcher is ours.

The program runs with the interpreter of the project's virtualenv, as with the upstream host:
`runtime.options.virtualenv` in Pulumi.yaml (relative to the project directory; `.venv` when
`toolchain: uv` names none). When that is this host's own interpreter (or none is named) the
program runs in this process; otherwise this host starts a copy of itself under that
virtualenv's python and hands it the Run request, so the program imports the virtualenv's
packages. The dynamic-provider plugin (`pulumi-resource-pulumi-python`, written by
tools/install-engine.sh) follows the same option, which the engine passes to it as
PULUMI_RUNTIME_VIRTUALENV.
"""

from __future__ import annotations

import argparse
import os
import runpy
import signal
import subprocess
import sys
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if sys.path and sys.path[0] and Path(sys.path[0]).resolve() == HERE:
    sys.path.pop(0)  # the program must not import this checkout's tools/ by accident

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from pulumi import log  # noqa: E402
from pulumi.automation import _server  # noqa: E402
from pulumi.automation._server import LanguageServer  # noqa: E402
from pulumi.runtime.proto import language_pb2, language_pb2_grpc  # noqa: E402

# The packages the delegated host imports (pulumi brings grpc).
REQUIRED = ("pulumi", "grpc")
START_TIMEOUT_S = 60.0


class VirtualenvError(Exception):
    """The project's virtualenv cannot run the program; the message says what to do."""


def project_virtualenv(info: Any, pwd: str) -> Path | None:
    """The virtualenv the project names (absolute), or None to use this interpreter."""
    options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
    toolchain = options.get("toolchain", "pip")
    if toolchain not in ("pip", "uv"):
        raise VirtualenvError(
            f"runtime.options.toolchain {toolchain!r} in Pulumi.yaml is not supported by this language "
            "host (tools/language_host.py): use `toolchain: pip` with `virtualenv: <dir>`"
        )
    venv = options.get("virtualenv") or (".venv" if toolchain == "uv" else None)
    if venv is None:
        return None
    if not isinstance(venv, str):
        raise VirtualenvError("runtime.options.virtualenv in Pulumi.yaml must be a string (a directory)")
    root = info.root_directory or pwd
    return Path(root, venv).absolute()


def check_virtualenv(venv: Path) -> Path:
    """The virtualenv's python, or a VirtualenvError naming what is missing and how to fix it."""
    python = venv / "bin" / "python"
    if not python.exists():
        what = "doesn't appear to be a virtual environment" if venv.exists() else "doesn't exist"
        raise VirtualenvError(
            f"The 'virtualenv' option in Pulumi.yaml names {str(venv)!r}, which {what}; create it and "
            f"install the program's dependencies into it:\n    python3 -m venv {venv}\n"
            f"    {python} -m pip install -r requirements.txt"
        )
    probe = "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in sys.argv[1:]))"
    found = subprocess.run([str(python), "-c", probe, *REQUIRED], capture_output=True, timeout=60)
    if found.returncode != 0:
        raise VirtualenvError(
            f"The virtualenv {str(venv)!r} named by the 'virtualenv' option in Pulumi.yaml has no "
            f"`pulumi` package, so it cannot run the program: install the program's dependencies into "
            f"it, e.g. `{python} -m pip install -r requirements.txt` (or `... install retool-pulumi`)"
        )
    return python


def activated(venv: Path) -> dict[str, str]:
    """This environment as `source <venv>/bin/activate` would leave it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in (str(venv / "bin"), os.environ.get("PATH", "")) if p)
    env["VIRTUAL_ENV"] = str(venv)
    return env


def same_interpreter(venv: Path) -> bool:
    return venv.resolve() == Path(sys.prefix).resolve()


class DelegatedHost:
    """A copy of this host running under another virtualenv's python, for one Run."""

    def __init__(self, venv: Path, python: Path) -> None:
        read_fd, write_fd = os.pipe()
        try:
            self.process = subprocess.Popen(
                [str(python), "-u", str(Path(__file__).resolve()), "--delegate", "--port-fd", str(write_fd)],
                env=activated(venv),
                pass_fds=(write_fd,),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(write_fd)
        with os.fdopen(read_fd, "rb") as port_pipe:
            port = port_pipe.readline().strip()  # EOF (b"") when the copy died before serving
        if not port:
            code = self.process.wait(timeout=10)
            raise VirtualenvError(f"the language host could not start under {python} (exit code {code})")
        self.channel = grpc.insecure_channel(
            f"127.0.0.1:{int(port)}", options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)]
        )

    def run(self, request: Any) -> Any:
        return language_pb2_grpc.LanguageRuntimeStub(self.channel).Run(request)

    def close(self) -> None:
        self.channel.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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
    """Runs the project program named by each Run request, in the project's virtualenv."""

    def __init__(self, delegate: bool = True) -> None:
        super().__init__(self._program)
        self._entry: str = ""
        self._delegate = delegate  # False in a delegated copy: it always runs the program itself

    def _program(self) -> None:
        runpy.run_path(self._entry, run_name="__main__")

    def Run(self, request: Any, context: Any) -> Any:
        pwd = request.pwd or os.getcwd()
        info = request.info
        if self._delegate:
            try:
                venv = project_virtualenv(info, pwd)
                if venv is not None and not same_interpreter(venv):
                    return self._run_delegated(venv, request)
            except VirtualenvError as exc:
                return language_pb2.RunResponse(error=str(exc))
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

    def _run_delegated(self, venv: Path, request: Any) -> Any:
        host = DelegatedHost(venv, check_virtualenv(venv))
        try:
            return host.run(request)
        finally:
            host.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegate", action="store_true", help="run programs in-process only")
    parser.add_argument("--port-fd", type=int, help="write the port to this descriptor, not stdout")
    args, _engine_args = parser.parse_known_args()  # the engine passes its address (and tracing flags)

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)],
    )
    servicer = ProjectLanguageServer(delegate=not args.delegate)
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    if args.port_fd is not None:
        with os.fdopen(args.port_fd, "w") as out:
            out.write(f"{port}\n")
    else:
        print(port, flush=True)
    # The engine ends its plugins with SIGINT (then SIGKILL); stop quietly.
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    # A `pulumi` killed with SIGKILL cannot stop its plugins: leave once it is gone (re-parented).
    # A delegated copy leaves the same way when the host that started it is gone.
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
