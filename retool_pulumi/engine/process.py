"""The dynamic provider's own process (`python -m pulumi.dynamic`, started by the engine).

Two things the SDK's provider server does not do, set up once when the provider module is first
loaded there (`install()`; anywhere else it does nothing):

- errors of ours reach the CLI as their message alone. The server answers every exception with
  `traceback.format_exc()` (pulumi/dynamic/__main__.py, `_abort_with_traceback`), so each of our
  errors, whose message already says what failed and what to do, came with 20 lines of frames
  from the SDK and from us. Other exceptions (bugs) keep their traceback.
- the process ends when the engine that started it is gone. The engine stops its plugins when it
  ends, but a `pulumi` killed with SIGKILL cannot, and the provider served on forever: its
  parent changes (to init or a subreaper) when the engine dies, which a watcher thread notices.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from types import ModuleType
from typing import Any

from ..errors import RetoolError

__all__ = ["install", "watch_parent"]

DYNAMIC_MAIN = "pulumi.dynamic.__main__"
PARENT_POLL_SECONDS = 0.5
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


def watch_parent(exit_code: int = 1, poll: float = PARENT_POLL_SECONDS) -> None:
    """End this process (``os._exit``) once its parent is gone: a daemon thread compares the
    parent's pid with the one at start. Without a parent to watch (already init) it does nothing."""
    parent = os.getppid()
    if parent <= 1:
        return

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                os._exit(exit_code)

    threading.Thread(target=watch, name="retool-pulumi-parent-watch", daemon=True).start()


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
    watch_parent()
