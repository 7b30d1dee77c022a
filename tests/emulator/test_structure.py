"""The emulator's shape (issue #13): HTTP handlers apart from the backends that keep each type's
rules, files named after the product's types, and an import graph without cycles, none of them
hidden in a function-level import."""

from __future__ import annotations

import ast
from pathlib import Path

import retool_pulumi
import retool_pulumi.emulator

PACKAGE = Path(retool_pulumi.emulator.__file__).parent
TYPES = Path(retool_pulumi.__file__).parent / "types"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, ast.stmt]]:
    """(imported emulator module, statement) for every import in a module, at any depth."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from package import module` imports the module; `from module import name` the module.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        found += [(t, node) for t in targets if t in modules and t != name]
    return found


def test_every_import_of_the_emulator_is_at_module_level() -> None:
    modules = _modules()
    hidden = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # Indented: inside a function, a class or an `if TYPE_CHECKING:` block.
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset > 0:
                hidden.append(f"{name}:{node.lineno}")
    assert modules and not hidden, f"function-level imports: {hidden}"


def test_the_emulator_modules_import_each_other_without_cycles() -> None:
    modules = _modules()
    graph = {name: {t for t, _ in _imports(name, path, modules)} for name, path in modules.items()}
    assert "retool_pulumi.emulator.backends.base" in graph["retool_pulumi.emulator.backends.folder"]
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(name) :], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_handlers_and_backends_are_named_after_the_types_and_handlers_leave_state_to_backends() -> None:
    types = {p.stem for p in TYPES.glob("*.py") if not p.stem.startswith("_")}
    handlers = {p.stem for p in (PACKAGE / "handlers").glob("*.py")}
    assert types <= handlers, f"types without a handler module: {sorted(types - handlers)}"
    for path in (PACKAGE / "handlers").glob("*.py"):
        assert ".store." not in path.read_text(encoding="utf-8"), f"{path.name} reaches into the store"
