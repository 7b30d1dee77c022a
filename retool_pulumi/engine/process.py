"""The dynamic provider's own process (`python -m pulumi.dynamic`, started by the engine).

Two things the SDK's provider server does not do, set up once when the provider module is first
loaded there (`install()`; anywhere else it does nothing):

- errors of ours reach the CLI as their message alone. The server answers every exception with
  `traceback.format_exc()` (pulumi/dynamic/__main__.py, `_abort_with_traceback`), so each of our
  errors, whose message already says what failed and what to do, came with 20 lines of frames
  from the SDK and from us. Other exceptions (bugs) keep their traceback.
- the process ends when the engine that started it is gone. The engine stops its plugins when it
  ends, but a `pulumi` killed with SIGKILL cannot, and the provider served on forever. A watcher
  thread notices either sign: the parent changed (re-parented to init or a subreaper: the
  engine, or a launcher that `exec`s python, died), or the engine's own address (the plugin's
  first argument, on loopback) refuses connections, for a launcher script that runs python
  without `exec` and so outlives the engine as the parent.
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import sys
import threading
import time
import traceback
from types import ModuleType
from typing import Any

from ..errors import RetoolError

__all__ = ["engine_address", "install", "watch_engine"]

DYNAMIC_MAIN = "pulumi.dynamic.__main__"
PARENT_POLL_SECONDS = 0.5
_PROBE_EVERY = 2  # polls between two checks of the engine's address
_LOOPBACK_ADDRESS = re.compile(r"(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})")
_installed = False
_lock = threading.Lock()


class _OneLineForOurs:
    """Stands in for the `traceback` module inside pulumi.dynamic's `__main__`: `format_exc()` of
    a RetoolError is its message, anything else is formatted as usual."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        exc = sys.exc_info()[1]
        if isinstance(exc, RetoolError):
            return str(exc)
        return traceback.format_exc(limit, chain)


def _dynamic_main() -> ModuleType | None:
    """The SDK's provider server module, when this process is one (run as `-m pulumi.dynamic`)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if main is None or getattr(spec, "name", None) != DYNAMIC_MAIN:
        return None
    return main


def engine_address(args: list[str]) -> tuple[str, int] | None:
    """The engine's gRPC address among a plugin's arguments, when it is on loopback."""
    for arg in args:
        match = _LOOPBACK_ADDRESS.fullmatch(arg)
        if match:
            return match.group(1).strip("[]"), int(match.group(2))
    return None


def _refuses(address: tuple[str, int]) -> bool:
    """Whether nothing listens at `address` any more (any other failure proves nothing)."""
    try:
        with socket.create_connection(address, timeout=1.0):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def watch_engine(
    engine: tuple[str, int] | None, exit_code: int = 1, poll: float = PARENT_POLL_SECONDS
) -> None:
    """End this process (``os._exit``) once the engine is gone (see the module docstring): a
    daemon thread compares the parent's pid with the one at start and, every few polls, checks
    that `engine` still accepts connections (refused twice in a row: gone)."""
    parent = os.getppid()

    def watch() -> None:
        refused = 0
        for tick in itertools.count(1):
            time.sleep(poll)
            if parent > 1 and os.getppid() != parent:
                os._exit(exit_code)
            if engine is not None and tick % _PROBE_EVERY == 0:
                refused = refused + 1 if _refuses(engine) else 0
                if refused >= 2:
                    os._exit(exit_code)

    threading.Thread(target=watch, name="retool-pulumi-engine-watch", daemon=True).start()


def install() -> None:
    """Set up the provider process (see the module docstring); once, and only in that process."""
    global _installed
    main = _dynamic_main()
    if main is None:
        return
    with _lock:
        if _installed:
            return
        _installed = True
    if isinstance(getattr(main, "traceback", None), ModuleType):
        main.traceback = _OneLineForOurs()  # type: ignore[attr-defined]
    watch_engine(engine_address(sys.argv[1:]))
