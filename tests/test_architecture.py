"""The package's shape, read from its source: data flows one way (files -> the library ->
the UI), so no module imports one that imports it back, the library never imports Textual
or Rich, the UI never imports sqlite3 (it calls the library), and nothing imports a
private name of Textual's.

Every import counts, also one inside a function (loaded late, for start-up time, it is
still a dependency); only imports under `if TYPE_CHECKING:` do not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reader"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, names) of each import in the tree, outside `if TYPE_CHECKING:` blocks."""
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (`from reader.library import body` is
    an import of reader.library.body, as import-linter reads it)."""
    trees = {module_name(p): ast.parse(p.read_text(), str(p)) for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {name: set() for name in trees}
    for name, tree in trees.items():
        for module, names in imported(tree):
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in trees]
            targets += [module] if len(targets) < len(names) or not names else []
            edges[name].update(t for t in targets if t in trees and t != name)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                strong(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (top := stack.pop()) != node:
                group.append(top)
            if group:
                found.append(sorted([node, *group]))

    for node in sorted(edges):
        if node not in index:
            strong(node)
    return found


def imports_of(prefix: str) -> list[tuple[str, str, list[str]]]:
    """(module, imported module, names) for every import in modules under `prefix`."""
    out = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name == prefix or name.startswith(prefix + "."):
            out += [(name, m, names) for m, names in imported(ast.parse(path.read_text()))]
    return out


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize(("place", "forbidden"), [("reader.library", ("textual", "rich"))])
def test_the_library_never_imports_the_terminal_side(place: str, forbidden: tuple[str]) -> None:
    found = [(m, i) for m, i, _ in imports_of(place) if i.split(".")[0] in forbidden]
    assert found == []


def test_the_ui_never_imports_sqlite3() -> None:
    found = [(m, i) for m, i, _ in imports_of("reader.ui") if i.split(".")[0] == "sqlite3"]
    assert found == []


def test_nothing_imports_a_private_name_of_textual() -> None:
    found = [
        (module, f"{imported_module}.{name}")
        for module, imported_module, names in imports_of("reader")
        for name in names
        if imported_module.split(".")[0] == "textual"
        and (name.startswith("_") or any(p.startswith("_") for p in imported_module.split(".")))
    ]
    assert found == []
