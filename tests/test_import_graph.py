"""No import cycle among our modules, counting imports inside functions too (a cycle that only
works because one side imports lazily is still a cycle), and dependencies point one way:
worker -> pipelines -> models."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGES = ("worker", "pipelines", "models")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Our modules that ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name.split(".")[0] in PACKAGES:
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
             if "migrations" not in p.parts}
    known = set(files)
    return {mod: _imports(path, known) - {mod} for mod, path in files.items()}


def _cycle(g: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, or None (iterative DFS, ignoring package ``__init__`` re-exports)."""
    state: dict[str, int] = {}
    for start in sorted(g):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(g[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1 and child not in _parents(node):
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(sorted(g.get(child, ())))))
                path.append(child)
    return None


def _parents(module: str) -> set[str]:
    """A module importing from its own package's ``__init__`` is not a cycle worth naming."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycle_among_our_modules():
    assert _cycle(graph()) is None


def test_dependencies_point_one_way():
    rank = {"models": 0, "pipelines": 1, "worker": 2}
    wrong = [(mod, dep) for mod, deps in graph().items() for dep in deps
             if rank[dep.split(".")[0]] > rank[mod.split(".")[0]]]
    assert wrong == []


def test_the_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
