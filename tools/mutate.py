"""Mutation testing of the engine, the client and the type files against the fast tests.

    make mutate                                   # everything; writes MUTATION.md
    .venv/bin/python tools/mutate.py --files retool_pulumi/types/sso.py --jobs 1
    .venv/bin/python tools/mutate.py --survivors  # only re-test the last run's survivors
    .venv/bin/python tools/mutate.py --list       # the mutants, without running anything

How it works:
1. Mutants: single, realistic edits generated from the AST of each target file (see `OPERATORS`):
   flip a comparison, drop a `not` or one operand of `and`/`or`, negate an `if`, drop an
   element of a tuple/list/set of names or field names (or a key of a dict literal), drop a
   `REPLACE`/`SECRET` marker, drop a keyword argument, change an int by one, flip a bool, remove
   a call statement or a `raise`, return None instead of a value, swap `+`/`-`. Logging calls,
   docstrings, annotations, f-strings and `__all__` are left alone.
2. A map of which test runs which line: the engine-free tests (`-m "not engine"`) run once,
   traced (tools/mutate_trace.py), in a copy of the repository. Tests failing there are never
   selected. The map is cached in .mutate/ and rebuilt when a source or test file changes.
3. Each mutant is written into a copy of the repository (never the worktree), and only the tests
   that ran its lines run (`pytest -x`, fastest first, with a timeout). A line that runs only at
   import (a class attribute, a module constant) selects the tests that used that file and ran a
   line using the name it defines or whose test file names it (else all that used the file): a
   heuristic, so such a survivor may yet be killed by a test not selected. Exit 1-3 (a failure,
   a collection error): killed; a timeout: killed; 0: survived; no test ran the line: survived,
   "not covered". Subprocesses a test starts are not traced: lines only they run count as not
   covered.
   `--equivalent KEY WHY` lists a mutant as equivalent; `--survivors` re-tests only the mutants
   the last run did not kill (results are kept in .mutate/results.json as the run goes).
4. MUTATION.md: the score (killed / mutants not listed as equivalent), each file's counts, and
   every survivor. Equivalent mutants are listed with why in tools/mutation_equivalents.toml (by
   key, which holds no line number, so it outlives edits elsewhere in the file).

Engine-free and outside `make test`: it takes tens of minutes (use --jobs 2 on an idle machine).
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tomllib

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".mutate"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
DEFAULT_TARGETS = (
    "retool_pulumi/engine/*.py",
    "retool_pulumi/client.py",
    "retool_pulumi/connection.py",
    "retool_pulumi/types/*.py",
)
PACKAGE = "retool_pulumi"
SKIPPED_PACKAGE_PARTS = ("emulator",)  # traced and searched for names: the product, not the emulator
LOGGERS = frozenset({"log", "logger", "logging", "_log", "warnings"})
DOC_KEYWORDS = frozenset({"description", "title", "examples", "deprecated"})
PYTEST_BASE = [
    "-m",
    "pytest",
    "-q",
    "-p",
    "no:cacheprovider",
    "-p",
    "pytest_timeout",
    "-o",
    "addopts=",
    "-W",
    "ignore::pytest.PytestUnraisableExceptionWarning",
]


# ---- mutants ------------------------------------------------------------------------------------


@dataclass
class Mutant:
    file: str  # relative to the root
    scope: str  # qualified name of the enclosing function or class, "<module>" at the top
    op: str
    line: int
    end_line: int
    start: int  # byte offsets into the file
    end: int
    original: str
    replacement: str
    module_level: bool  # not inside a function: runs at import
    names: tuple[str, ...]  # names its module- or class-level statement defines
    key: str = ""

    def describe(self) -> str:
        return f"{self.op}: `{_short(self.original)}` -> `{_short(self.replacement)}`"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


_FLIP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
OPERATORS = (
    "flip-compare",
    "drop-not",
    "drop-operand",
    "negate-condition",
    "drop-element",
    "drop-dict-key",
    "drop-marker",
    "drop-keyword",
    "int-plus-one",
    "flip-bool",
    "remove-call",
    "remove-raise",
    "return-none",
    "swap-plus-minus",
)


def _is_logging_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in LOGGERS:
            return True
        func = func.value
    return False


def _simple(node: ast.AST) -> bool:
    return isinstance(node, (ast.Constant, ast.Name, ast.Attribute))


class _Generator(ast.NodeVisitor):
    """Collects (node, replacement text, operator) for one module."""

    def __init__(self, rel: str, source: bytes) -> None:
        self.rel = rel
        self.source = source
        self.line_starts = [0]
        for i, byte in enumerate(source):
            if byte == 0x0A:
                self.line_starts.append(i + 1)
        self.scope: list[str] = []
        self.in_function = 0
        self.names: tuple[str, ...] = ()
        self.records: set[int] = set()
        self.mutants: list[Mutant] = []

    # -- helpers
    def _offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def _segment(self, node: ast.AST) -> tuple[int, int]:
        start = self._offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self._offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def _add(self, op: str, node: ast.AST, replacement: str) -> None:
        start, end = self._segment(node)
        original = self.source[start:end].decode()
        if original == replacement:
            return
        self.mutants.append(
            Mutant(
                file=self.rel,
                scope=".".join(self.scope) or "<module>",
                op=op,
                line=node.lineno,  # type: ignore[attr-defined]
                end_line=node.end_lineno or node.lineno,  # type: ignore[attr-defined]
                start=start,
                end=end,
                original=original,
                replacement=replacement,
                module_level=not self.in_function,
                names=self.names,
            )
        )

    def _expr(self, op: str, node: ast.expr, new: ast.expr) -> None:
        text = ast.unparse(new)
        if not isinstance(new, (ast.Name, ast.Constant, ast.Attribute, ast.Call, ast.Subscript)):
            text = f"({text})"
        self._add(op, node, text)

    # -- scopes
    def _body(self, body: list[ast.stmt]) -> None:
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # docstring
        for stmt in body:
            self._statement(stmt)

    def _statement(self, stmt: ast.stmt) -> None:
        if not self.in_function:
            self.names = _defined_names(stmt)
        self.visit(stmt)

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        self.scope.append(node.name)
        self._body(node.body)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self.scope.append(node.name)
        self.in_function += 1
        self._body(node.body)
        self.in_function -= 1
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.in_function += 1
        self.visit(node.body)
        self.in_function -= 1

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
            return
        self._negate(test)
        self.visit(test)
        for stmt in [*node.body, *node.orelse]:
            self._statement_inner(stmt)

    def visit_While(self, node: ast.While) -> None:
        self.visit(node.test)
        for stmt in [*node.body, *node.orelse]:
            self._statement_inner(stmt)

    def _statement_inner(self, stmt: ast.stmt) -> None:
        # Nested statements keep the names of the top statement they belong to.
        self.visit(stmt)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        if any(isinstance(t, ast.Tuple) for t in node.targets) and isinstance(node.value, ast.Tuple):
            self.records.add(id(node.value))  # `a, b = x, y`: one element less only fails to unpack
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._annotated_markers(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # f-strings: positions inside are unreliable, and they are messages

    def visit_Assert(self, node: ast.Assert) -> None:
        return

    def visit_Expr(self, node: ast.Expr) -> None:
        if _is_logging_call(node.value):
            return
        if isinstance(node.value, ast.Call):
            self._add("remove-call", node, "pass")
        self.visit(node.value)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if isinstance(exc, ast.Call) and isinstance(exc.func, ast.Name) and exc.func.id == "AssertionError":
            return
        self._add("remove-raise", node, "pass")
        if exc is not None:
            self.visit(exc)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is None:
            return
        # `return False` -> `return None` is left out: both are false wherever a predicate is used.
        if not (
            isinstance(node.value, ast.Constant) and (node.value.value is None or node.value.value is False)
        ):
            self._add("return-none", node, "return None")
        self.visit(node.value)

    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            flipped = _FLIP.get(type(op))
            if flipped is not None:
                new = copy.deepcopy(node)
                new.ops[i] = flipped()
                self._expr("flip-compare", node, new)
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._expr("drop-not", node, copy.deepcopy(node.operand))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        for i in range(len(node.values)):
            rest = [copy.deepcopy(v) for j, v in enumerate(node.values) if j != i]
            new: ast.expr = rest[0] if len(rest) == 1 else ast.BoolOp(copy.deepcopy(node.op), rest)
            self._expr("drop-operand", node, new)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def _negate(self, test: ast.expr) -> None:
        # Comparisons, `not` and `and`/`or` are negated piecewise by their own operators.
        if not isinstance(test, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
            self._expr("negate-condition", test, ast.UnaryOp(ast.Not(), copy.deepcopy(test)))

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = {ast.Add: ast.Sub, ast.Sub: ast.Add}.get(type(node.op))
        textual = any(
            isinstance(side, (ast.JoinedStr, ast.List, ast.Tuple))
            or (isinstance(side, ast.Constant) and isinstance(side.value, str))
            for side in (node.left, node.right)
        )
        if swap is not None and not textual:
            new = copy.deepcopy(node)
            new.op = swap()
            self._expr("swap-plus-minus", node, new)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add("flip-bool", node, str(not value))
        elif isinstance(value, int):
            self._add("int-plus-one", node, str(value + 1))

    def _sequence(self, node: ast.Tuple | ast.List | ast.Set) -> None:
        elts = node.elts
        strings = all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elts)
        record = id(node) in self.records  # a pair in a table: its shape, not a collection
        if not record and elts and all(_simple(e) for e in elts) and (len(elts) >= 2 or strings):
            for i in range(len(elts)):
                rest = [copy.deepcopy(e) for j, e in enumerate(elts) if j != i]
                if isinstance(node, ast.Tuple):
                    text = "()" if not rest else "(" + ", ".join(ast.unparse(e) for e in rest) + ",)"
                elif isinstance(node, ast.List):
                    text = ast.unparse(ast.List(rest, ast.Load()))
                else:
                    text = ast.unparse(ast.Set(rest)) if rest else "set()"
                self._add("drop-element", node, text)
        self.records.update(id(e) for e in elts if isinstance(e, ast.Tuple))
        self.generic_visit(node)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        if isinstance(node.ctx, ast.Load):
            self._sequence(node)

    def visit_List(self, node: ast.List) -> None:
        if isinstance(node.ctx, ast.Load):
            self._sequence(node)

    def visit_Set(self, node: ast.Set) -> None:
        self._sequence(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        keys = node.keys
        if len(keys) >= 2 and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys):
            for i in range(len(keys)):
                new = copy.deepcopy(node)
                del new.keys[i]
                del new.values[i]
                self._expr("drop-dict-key", node, new)
        self.records.update(id(v) for v in node.values if isinstance(v, ast.Tuple))
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self._annotated_markers(node):
            return
        self.visit(node.value)
        if not isinstance(node.slice, ast.Tuple):  # a type's parameters are not data
            self.visit(node.slice)

    def _annotated_markers(self, node: ast.expr) -> bool:
        """Drop each bare-name marker (REPLACE, SECRET) of an `Annotated[...]`; True if it was one."""
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
        ):
            return False
        for i, meta in enumerate(node.slice.elts[1:], start=1):
            if isinstance(meta, ast.Name):
                new = copy.deepcopy(node)
                assert isinstance(new.slice, ast.Tuple)
                del new.slice.elts[i]
                self._expr("drop-marker", node, new)
            elif isinstance(meta, ast.Call):
                self.visit(meta)
        return True

    def visit_Call(self, node: ast.Call) -> None:
        if _is_logging_call(node):
            return
        for i, kw in enumerate(node.keywords):
            if kw.arg is not None and kw.arg not in DOC_KEYWORDS:
                new = copy.deepcopy(node)
                del new.keywords[i]
                self._expr("drop-keyword", node, new)
        self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for kw in node.keywords:
            if kw.arg not in DOC_KEYWORDS:
                self.visit(kw.value)


def _defined_names(stmt: ast.stmt) -> tuple[str, ...]:
    """The names a module- or class-level statement binds."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (stmt.name,)
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    names: list[str] = []
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.append(node.id)
    return tuple(names)


def generate(rel: str) -> list[Mutant]:
    source = (ROOT / rel).read_bytes()
    gen = _Generator(rel, source)
    gen.visit(ast.parse(source))
    seen: dict[str, int] = {}
    out: list[Mutant] = []
    for m in sorted(gen.mutants, key=lambda m: (m.start, m.end, m.op, m.replacement)):
        mutated = source[: m.start] + m.replacement.encode() + source[m.end :]
        try:
            if ast.dump(ast.parse(mutated)) == ast.dump(ast.parse(source)):
                continue
        except SyntaxError:
            continue
        base = f"{m.file}::{m.scope}::{m.op}::{_short(m.original, 200)} => {_short(m.replacement, 200)}"
        seen[base] = seen.get(base, 0) + 1
        m.key = base if seen[base] == 1 else f"{base} #{seen[base]}"
        out.append(m)
    return out


def targets(patterns: Iterable[str]) -> list[str]:
    files: list[str] = []
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            rel = path.relative_to(ROOT).as_posix()
            if rel not in files and path.name != "__init__.py":
                files.append(rel)
    return files


# ---- the sandbox: a copy of the repository the mutants are written into ------------------------

_IGNORED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".tools",
    ".pulumi-state",
    ".mutate",
    "__pycache__",
    "*.egg-info",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "NOTES-*.md",
)


class Sandbox:
    """A copy of the repository next to a link to ../shared, run with the venv's python."""

    def __init__(self, base: Path, index: int) -> None:
        self.dir = base / f"s{index}"
        self.repo = self.dir / "repo"
        shutil.copytree(ROOT, self.repo, ignore=_IGNORED, symlinks=True)
        shared = (ROOT.parent / "shared").resolve()
        if shared.exists():
            (self.dir / "shared").symlink_to(shared)
        if (ROOT / ".tools").exists():
            (self.repo / ".tools").symlink_to(ROOT / ".tools")
        self.lock = threading.Lock()

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONDONTWRITEBYTECODE="1",  # a mutant and its restore can share an mtime: compile every time
            PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",  # a second less per run
            PYTHONPATH=os.pathsep.join([str(self.repo), str(self.repo / "tools")]),
        )
        env.update(extra or {})
        return env

    def run(
        self, args: list[str], timeout: float | None, extra: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """(exit code, output); exit code -1 on a timeout (the process group is killed)."""
        with subprocess.Popen(
            [sys.executable, *PYTEST_BASE, *args],
            cwd=self.repo,
            env=self.env(extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        ) as proc:
            try:
                out, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out, _ = proc.communicate()
                return -1, out
            return proc.returncode, out


# ---- the map of which test runs which line -----------------------------------------------------


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(
        [*ROOT.glob("retool_pulumi/**/*.py"), *ROOT.glob("tests/**/*.py"), ROOT / "pyproject.toml"]
    ):
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(Path(__file__).with_name("mutate_trace.py").read_bytes())
    return digest.hexdigest()


def build_map(sandbox: Sandbox, reuse: bool) -> dict[str, Any]:
    cached = STATE / "map.json"
    fingerprint = _fingerprint()
    if reuse and cached.exists():
        data: dict[str, Any] = json.loads(cached.read_text())
        if data.get("fingerprint") == fingerprint:
            print(f"mutate: reusing the test map ({len(data['tests'])} tests)", flush=True)
            return data
    print("mutate: mapping which test runs which line (the engine-free tests, traced)...", flush=True)
    out = sandbox.dir / "map.json"
    started = time.monotonic()
    code, text = sandbox.run(
        ["-m", "not engine", "-p", "mutate_trace"], timeout=None, extra={"MUTATE_TRACE_OUT": str(out)}
    )
    if not out.exists():
        sys.exit(f"mutate: the traced test run wrote no map (exit {code}):\n{text[-3000:]}")
    data = json.loads(out.read_text())
    data["fingerprint"] = fingerprint
    failed = sorted(t for t, e in data["tests"].items() if e["outcome"] != "passed")
    print(
        f"mutate: mapped {len(data['tests'])} tests in {time.monotonic() - started:.0f} s"
        f" ({len(failed)} not passing, never selected)",
        flush=True,
    )
    STATE.mkdir(exist_ok=True)
    cached.write_text(json.dumps(data))
    return data


class Selector:
    """The tests to run against a mutant."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.seconds: dict[str, float] = {}
        self.by_line: dict[tuple[str, int], set[str]] = {}
        self.by_file: dict[str, set[str]] = {}
        self.failing: set[str] = set()
        for test, entry in data["tests"].items():
            if entry["outcome"] != "passed":
                self.failing.add(test)
                continue
            self.seconds[test] = entry["seconds"]
            for rel, lines in entry.get("lines", {}).items():
                self.by_file.setdefault(rel, set()).add(test)
                for line in lines:
                    self.by_line.setdefault((rel, line), set()).add(test)
            for rel in entry.get("classes", []):
                self.by_file.setdefault(rel, set()).add(test)
        # A test that asked for every type's declaration (all_specs) used every type file.
        everything = self.by_file.pop("retool_pulumi/types/*", set())
        for rel in {r for r in self.by_file if r.startswith("retool_pulumi/types/")}:
            self.by_file[rel] |= everything
        self.import_lines = {f: set(lines) for f, lines in data.get("import_lines", {}).items()}
        self.uses = _name_uses()
        self._named: dict[str, set[str]] = {}
        self._test_sources = {
            path.relative_to(ROOT).as_posix(): path.read_text()
            for path in (ROOT / "tests").rglob("*.py")
            if "__pycache__" not in path.parts
        }

    def named_in_test_file(self, name: str) -> set[str]:
        """The tests in files that mention `name` as a word (a test reading an attribute itself)."""
        if name not in self._named:
            pattern = re.compile(rf"\b{re.escape(name)}\b")
            files = {f for f, text in self._test_sources.items() if pattern.search(text)}
            self._named[name] = {t for t in self.seconds if t.split("::")[0] in files}
        return self._named[name]

    def second_chance(self, m: Mutant, tests: list[str]) -> list[str]:
        """For a survivor in a module-level function: the tests not yet run whose file names the
        function (a test may run it in a subprocess, which the map does not see)."""
        if m.scope == "<module>" or "." in m.scope:
            return []
        more = self.named_in_test_file(m.scope) - set(tests)
        return sorted(more, key=lambda t: (self.seconds.get(t, 0.0), t))

    def covering(self, rel: str, first: int, last: int) -> set[str]:
        found: set[str] = set()
        for line in range(first, last + 1):
            found |= self.by_line.get((rel, line), set())
        return found

    def select(self, m: Mutant) -> list[str]:
        tests = self.covering(m.file, m.line, m.end_line)
        at_import = any(line in self.import_lines.get(m.file, ()) for line in range(m.line, m.end_line + 1))
        if not tests and (m.module_level or at_import):
            # Runs at import (a class attribute, a constant, a function called while importing):
            # the tests that ran a line using what the statement defines (and what those lines
            # define in turn, for a constant read by a class attribute) or whose file names it,
            # else any that used the file.
            users: set[str] = set()
            names, seen = set(m.names), set()
            for _ in range(3):
                more: set[str] = set()
                for name in names - seen:
                    for rel, line, defines in self.uses.get(name, ()):
                        users |= self.by_line.get((rel, line), set())
                        more.update(defines)
                    users |= self.named_in_test_file(name)
                seen |= names
                names = more
            touching = self.by_file.get(m.file, set())
            tests = (users & touching) or touching
        return sorted(tests, key=lambda t: (self.seconds.get(t, 0.0), t))


def _name_uses() -> dict[str, list[tuple[str, int, tuple[str, ...]]]]:
    """name -> (file, line, names defined by the module/class-level statement there, if any) for
    every load of the name or of an attribute so named, across the package."""
    uses: dict[str, list[tuple[str, int, tuple[str, ...]]]] = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if any(part in SKIPPED_PACKAGE_PARTS for part in path.relative_to(ROOT / PACKAGE).parts[:-1]):
            continue
        tree = ast.parse(path.read_bytes())
        for top, defines in _top_statements(tree):
            for node in ast.walk(top):
                name = None
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    name = node.id
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                    name = node.attr
                if name is not None:
                    uses.setdefault(name, []).append((rel, node.lineno, defines))
    return uses


def _top_statements(tree: ast.Module) -> Iterator[tuple[ast.stmt, tuple[str, ...]]]:
    """Module- and class-level statements, with the names each binds (none for a function, whose
    body runs in tests and is found through its lines)."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            for inner in stmt.body:
                defines = (
                    ()
                    if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef))
                    else _defined_names(inner)
                )
                yield inner, defines
        else:
            defines = (
                () if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) else _defined_names(stmt)
            )
            yield stmt, defines


# ---- running the mutants -----------------------------------------------------------------------


@dataclass
class Result:
    key: str
    status: str  # killed | timeout | survived | uncovered | error
    tests: int = 0
    seconds: float = 0.0
    killer: str = ""
    detail: str = ""


def run_mutant(sandbox: Sandbox, m: Mutant, tests: list[str], expected: float) -> Result:
    if not tests:
        return Result(m.key, "uncovered")
    path = sandbox.repo / m.file
    with sandbox.lock:
        original = path.read_bytes()
        path.write_bytes(original[: m.start] + m.replacement.encode() + original[m.end :])
        started = time.monotonic()
        try:
            timeout = max(60.0, 4 * expected + 30.0)
            code, out = sandbox.run(["-x", "-rfE", f"--timeout={int(timeout)}", *tests], timeout=timeout)
        finally:
            path.write_bytes(original)
        took = round(time.monotonic() - started, 2)
    killer = next(
        (ln.split(" ", 2)[1] for ln in out.splitlines() if ln.startswith(("FAILED ", "ERROR "))), ""
    )
    if code == -1:
        return Result(m.key, "timeout", len(tests), took)
    if code in (1, 2, 3) or (code == 4 and "while loading conftest" in out):
        # (4: the package no longer imports, so the tests' own conftest cannot be loaded)
        return Result(m.key, "killed", len(tests), took, killer)
    if code == 0:
        return Result(m.key, "survived", len(tests), took)
    return Result(m.key, "error", len(tests), took, detail=f"pytest exit {code}: {out[-400:]}")


def mark_equivalent(key: str, why: str, mutants: list[Mutant]) -> int:
    found = [m for m in mutants if m.key == key] or [m for m in mutants if key in m.key]
    if len(found) != 1:
        print(f"mutate: {len(found)} mutants match {key!r}; give one key (see --list)", file=sys.stderr)
        for m in found[:20]:
            print(f"  {m.key}", file=sys.stderr)
        return 2
    if found[0].key in load_equivalents():
        print(f"mutate: already listed: {found[0].key}")
        return 0
    text = EQUIVALENTS.read_text() if EQUIVALENTS.exists() else _EQUIVALENTS_HEADER
    entry = f"\n[[equivalent]]\nkey = {json.dumps(found[0].key)}\nwhy = {json.dumps(why)}\n"
    EQUIVALENTS.write_text(text.rstrip("\n") + "\n" + entry)
    print(f"mutate: listed as equivalent: {found[0].key}")
    return 0


_EQUIVALENTS_HEADER = """\
# Mutants (tools/mutate.py) that change no behaviour, with why (see MUTATION.md). A key
# names the file, the enclosing function, the operator and the edit, never a line number;
# add entries with `tools/mutate.py --equivalent KEY WHY` (KEY as printed by --list).
"""


def load_equivalents() -> dict[str, str]:
    if not EQUIVALENTS.exists():
        return {}
    data = tomllib.loads(EQUIVALENTS.read_text())
    return {e["key"]: e["why"] for e in data.get("equivalent", [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="+", default=list(DEFAULT_TARGETS), help="globs of files to mutate")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (one repository copy each)")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--survivors", action="store_true", help="re-test only the last run's survivors")
    parser.add_argument("--errors", action="store_true", help="re-test only the last run's harness errors")
    parser.add_argument("--report", action="store_true", help="only write the report from the saved results")
    parser.add_argument("--match", default="", help="only mutants whose key contains this text")
    parser.add_argument("--remap", action="store_true", help="rebuild the test map even if cached")
    parser.add_argument("--output", default="MUTATION.md", help="the report ('-': print only)")
    parser.add_argument(
        "--equivalent",
        nargs=2,
        metavar=("KEY", "WHY"),
        help="list the mutant whose key is or uniquely contains KEY as equivalent, with WHY",
    )
    args = parser.parse_args(argv)
    if args.equivalent:
        return mark_equivalent(*args.equivalent, [m for rel in targets(args.files) for m in generate(rel)])

    files = targets(args.files)
    mutants = [m for rel in files for m in generate(rel) if args.match in m.key]
    if args.list:
        for m in mutants:
            print(f"{m.file}:{m.line}: {m.describe()}    [{m.key}]")
        print(f"{len(mutants)} mutants in {len(files)} files")
        return 0
    equivalents = load_equivalents()
    previous: dict[str, dict[str, Any]] = {}
    results_file = STATE / "results.json"
    if results_file.exists():
        previous = json.loads(results_file.read_text()).get("results", {})
    todo = mutants
    if args.report:
        report = render(mutants, previous, equivalents, files, set())
        if args.output == "-":
            print(report)
        else:
            (ROOT / args.output).write_text(report)
        print(report.split("\n\n")[1])
        return 0
    if args.errors:
        todo = [m for m in mutants if previous.get(m.key, {}).get("status") == "error"]
    elif args.survivors:
        todo = [
            m
            for m in mutants
            if previous.get(m.key, {}).get("status") in (None, "survived", "uncovered", "error")
        ]

    def save(data: dict[str, Any]) -> None:
        STATE.mkdir(exist_ok=True)
        results_file.write_text(json.dumps({"results": data}, indent=1))

    base = Path(tempfile.mkdtemp(prefix="retool-mutate-"))
    try:
        sandboxes = [Sandbox(base, i) for i in range(max(1, args.jobs))]
        selector = Selector(build_map(sandboxes[0], reuse=not args.remap))
        print(
            f"mutate: {len(todo)} of {len(mutants)} mutants to run with {len(sandboxes)} job(s)", flush=True
        )
        results: dict[str, Result] = {}
        started = time.monotonic()
        lock = threading.Lock()
        counter = iter(range(1, len(todo) + 1))

        free: queue.Queue[Sandbox] = queue.Queue()
        for box in sandboxes:
            free.put(box)

        def one(m: Mutant) -> None:
            box = free.get()
            try:
                tests = selector.select(m)
                result = run_mutant(box, m, tests, sum(selector.seconds.get(t, 0.0) for t in tests))
                more = selector.second_chance(m, tests) if result.status in ("survived", "uncovered") else []
                if more:  # e.g. a test running the function in a subprocess, which the map cannot see
                    again = run_mutant(box, m, more, sum(selector.seconds.get(t, 0.0) for t in more))
                    if again.status in ("killed", "timeout"):
                        result = again
            finally:
                free.put(box)
            with lock:
                results[m.key] = result
                n = next(counter)
                if n % 25 == 0:  # an interrupted run keeps what it found (see --survivors)
                    save({**previous, **{k: asdict(r) for k, r in results.items()}})
                mark = "" if result.status in ("killed", "timeout") else f"  <-- {result.status.upper()}"
                print(
                    f"[{n}/{len(todo)} {time.monotonic() - started:.0f}s] {m.file}:{m.line} {m.describe()}"
                    f" ({result.tests} tests, {result.seconds:.1f}s){mark}",
                    flush=True,
                )

        with ThreadPoolExecutor(max_workers=len(sandboxes)) as pool:
            list(pool.map(one, todo))
    finally:
        shutil.rmtree(base, ignore_errors=True)

    merged = {m.key: previous[m.key] for m in mutants if m.key in previous and m.key not in results}
    merged.update({k: asdict(r) for k, r in results.items()})
    save({**previous, **merged})
    report = render(mutants, merged, equivalents, files, selector.failing)
    if args.output == "-":
        print(report)
    else:
        (ROOT / args.output).write_text(report)
        print(f"mutate: wrote {args.output}")
    summary = report.split("\n\n")[1]
    print(summary)
    return 0


def render(
    mutants: list[Mutant],
    results: dict[str, dict[str, Any]],
    equivalents: dict[str, str],
    files: list[str],
    failing: set[str],
) -> str:
    counts: dict[str, dict[str, int]] = {}
    survivors: list[Mutant] = []
    equivalent: list[Mutant] = []
    errors: list[Mutant] = []
    for m in mutants:
        status = results.get(m.key, {}).get("status", "not run")
        c = counts.setdefault(
            m.file, {"mutants": 0, "killed": 0, "equivalent": 0, "survived": 0, "not run": 0}
        )
        c["mutants"] += 1
        if status in ("killed", "timeout"):
            c["killed"] += 1
        elif m.key in equivalents:
            c["equivalent"] += 1
            equivalent.append(m)
        elif status in ("survived", "uncovered"):
            c["survived"] += 1
            survivors.append(m)
        elif status == "error":
            c["survived"] += 1
            errors.append(m)
        else:
            c["not run"] += 1
    total = {
        k: sum(c[k] for c in counts.values())
        for k in ("mutants", "killed", "equivalent", "survived", "not run")
    }
    scored = total["mutants"] - total["equivalent"] - total["not run"]
    score = 100.0 * total["killed"] / scored if scored else 0.0
    lines = [
        "# Mutation testing",
        "",
        f"Score: **{score:.1f}%** — {total['killed']} killed of {scored} mutants "
        f"({total['mutants']} generated, {total['equivalent']} equivalent, {total['survived']} surviving"
        + (f", {total['not run']} not run" if total["not run"] else "")
        + f"). Generated by `make mutate` (tools/mutate.py) on {datetime.now(timezone.utc):%Y-%m-%d}.",
        "",
        "Single realistic edits of the engine, the client, the connection settings and the type files,"
        " each run against the engine-free tests that execute its lines (`pytest -m 'not engine' -x`)."
        " A survivor is a change of behaviour no fast test notices: kill it with a test, or list it in"
        " tools/mutation_equivalents.toml with why it changes nothing. Regenerate with `make mutate`.",
        "",
        "| file | mutants | killed | equivalent | surviving | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rel in files:
        c = counts.get(rel)
        if not c:
            continue
        n = c["mutants"] - c["equivalent"] - c["not run"]
        lines.append(
            f"| {rel} | {c['mutants']} | {c['killed']} | {c['equivalent']} | {c['survived']} |"
            f" {100.0 * c['killed'] / n if n else 100.0:.0f}% |"
        )
    lines += ["", "## Survivors", ""]
    if not survivors and not errors:
        lines.append("None.")
    for m in survivors:
        how = " (no fast test runs this line)" if results[m.key]["status"] == "uncovered" else ""
        lines.append(f"- `{m.file}:{m.line}` in `{m.scope}`: {m.describe()}{how}")
    for m in errors:
        detail = results[m.key]["detail"]
        lines.append(f"- `{m.file}:{m.line}` in `{m.scope}`: {m.describe()} (harness error: {detail!r})")
    lines += ["", "## Equivalent mutants", "", "Listed in tools/mutation_equivalents.toml; not scored.", ""]
    for m in equivalent:
        lines.append(f"- `{m.file}:{m.line}` in `{m.scope}`: {m.describe()} — {equivalents[m.key]}")
    if failing:
        lines += ["", "## Tests not passing in the mapping run (never selected)", ""]
        lines += [f"- `{t}`" for t in sorted(failing)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
