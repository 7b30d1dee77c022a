"""pytest plugin for `tools/mutate.py`: which lines of the package each test runs.

Loaded with `-p mutate_trace` (tools/ on PYTHONPATH) and `MUTATE_TRACE_OUT=<file.json>`. For every
test it records its outcome, its duration, the lines of `retool_pulumi/` (the emulator excepted)
that ran during its setup, call and teardown, and the package files whose classes it used (an
instance of a class defined in a file was `self` of a call into the package). Lines that ran
outside any test (imports, class bodies) are recorded under the key "" as `import_lines`.

`sys.settrace` (and `threading.settrace`, for the provider's worker threads) with a global trace
function that returns None outside the package, so the rest of the code runs at nearly full speed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

_ROOT = Path.cwd().resolve()
_PACKAGE = _ROOT / "retool_pulumi"
_SKIP = _PACKAGE / "emulator"
ALL_TYPES = "retool_pulumi/types/*"
_files: dict[str, str | None] = {}  # co_filename -> path relative to the root, None: not traced
_class_files: dict[type, str | None] = {}


class _Record:
    def __init__(self) -> None:
        self.lines: dict[str, set[int]] = {}
        self.classes: set[str] = set()


_import = _Record()
_current: _Record = _import
_tests: dict[str, dict[str, Any]] = {}


def _rel(filename: str) -> str | None:
    try:
        return _files[filename]
    except KeyError:
        pass
    path = Path(filename).resolve()
    rel: str | None = None
    if path.suffix == ".py" and path.is_relative_to(_PACKAGE) and not path.is_relative_to(_SKIP):
        rel = path.relative_to(_ROOT).as_posix()
    _files[filename] = rel
    return rel


def _class_file(cls: type) -> str | None:
    try:
        return _class_files[cls]
    except KeyError:
        pass
    module = sys.modules.get(cls.__module__)
    found = getattr(module, "__file__", None)
    rel = _rel(found) if found else None
    _class_files[cls] = rel
    return rel


def _trace(frame: FrameType, event: str, arg: Any) -> Any:
    rel = _rel(frame.f_code.co_filename)
    if rel is None:
        return None
    record = _current
    lines = record.lines.setdefault(rel, set())
    lines.add(frame.f_lineno)
    if frame.f_code.co_name == "all_specs" and rel == "retool_pulumi/engine/spec.py":
        record.classes.add(ALL_TYPES)  # the test reads declarations of every type
    if frame.f_code.co_argcount:
        owner = frame.f_locals.get("self", frame.f_locals.get("cls"))
        if owner is not None:
            cls = owner if isinstance(owner, type) else type(owner)
            for klass in cls.__mro__[:-1]:
                where = _class_file(klass)
                if where:
                    record.classes.add(where)

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            lines.add(frame.f_lineno)
        return local

    return local


# On from the plugin's import (`-p` loads it before any conftest), so that the lines the package
# runs while being imported are recorded as import lines.
threading.settrace(_trace)
sys.settrace(_trace)


def pytest_configure(config: pytest.Config) -> None:
    import retool_pulumi

    where = Path(retool_pulumi.__file__).resolve()
    if not where.is_relative_to(_PACKAGE):
        raise pytest.UsageError(f"mutate_trace: retool_pulumi comes from {where}, not from {_PACKAGE}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    global _current
    _current = _Record()
    _tests[item.nodeid] = {"outcome": "passed", "seconds": 0.0}
    started = time.perf_counter()
    yield
    entry = _tests[item.nodeid]
    entry["seconds"] = round(time.perf_counter() - started, 4)
    entry["lines"] = {f: sorted(v) for f, v in _current.lines.items()}
    entry["classes"] = sorted(_current.classes)
    _current = _import


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    entry = _tests.get(report.nodeid)
    if entry is not None and (report.failed or (report.skipped and report.when == "setup")):
        entry["outcome"] = "failed" if report.failed else "skipped"


def pytest_unconfigure(config: pytest.Config) -> None:
    sys.settrace(None)
    threading.settrace(None)  # type: ignore[arg-type]
    out = os.environ.get("MUTATE_TRACE_OUT")
    if out:
        data = {"tests": _tests, "import_lines": {f: sorted(v) for f, v in _import.lines.items()}}
        Path(out).write_text(json.dumps(data))
