"""The package's layers, checked on the syntax tree of every module.

State (`memory/`) imports nothing from tools, roles or orchestration; tools
(`tools/`) nothing from roles or orchestration; roles (`agents/`, `prompts/`)
nothing from orchestration. Every import counts, at module level or inside a
function, including those only made for type checking. And no two modules
import each other, directly or round a longer loop (imports made only for
type checking excepted: they never run).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Source folder -> the package it installs as (pyproject's package-dir).
SOURCES = {
    "filmcrew": "filmcrew",
    "agents": "filmcrew.agents",
    "tools": "filmcrew.tools",
    "memory": "filmcrew.memory",
    "orchestration": "filmcrew.orchestration",
    "prompts": "filmcrew.prompts",
}
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "memory": ("tools", "agents", "orchestration", "prompts"),
    "tools": ("agents", "orchestration"),
    "agents": ("orchestration",),
    "prompts": ("orchestration",),
}


@dataclass(frozen=True)
class Import:
    target: str  # absolute dotted module (or module.attribute) named by the import
    line: int
    type_checking: bool


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    package = SOURCES[rel.parts[0]]
    parts = list(rel.with_suffix("").parts[1:])
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(source: str, module: str, *, is_package: bool = False) -> list[Import]:
    """Every import in `source`, wherever it sits, resolved to absolute names."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, guarded)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno, guarded) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # One entry per name: `from pkg import sub` imports the submodule `pkg.sub`
            # when there is one, else the attribute `sub` of `pkg`.
            found.extend(Import(f"{origin}.{alias.name}", node.lineno, guarded) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "filmcrew":
        return None
    return parts[1] if parts[1] in ("memory", "tools", "agents", "orchestration", "prompts") else None


def violations(path_label: str, source: str, module: str, *, is_package: bool = False) -> list[str]:
    """'file:line: a imports b (memory must not import tools)' for each forbidden import."""
    own = layer_of(module)
    if own not in FORBIDDEN:
        return []
    out = []
    for imp in imports_of(source, module, is_package=is_package):
        other = layer_of(imp.target)
        if other in FORBIDDEN[own]:
            line = f"{path_label}:{imp.line}: {module} imports {imp.target} ({own} must not import {other})"
            if line not in out:
                out.append(line)
    return out


def all_modules() -> dict[str, Path]:
    modules = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def test_no_module_imports_across_a_forbidden_layer():
    problems = []
    for module, path in all_modules().items():
        source = path.read_text(encoding="utf-8")
        problems += violations(str(path.relative_to(ROOT)), source, module, is_package=path.name == "__init__.py")
    assert not problems, "imports that break the layer rules:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "source", "culprit"),
    [
        ("filmcrew.memory.x", "import filmcrew.tools.media\n", "filmcrew.tools.media"),
        ("filmcrew.memory.x", "def f():\n    from filmcrew.tools.sound import synth\n", "filmcrew.tools.sound"),
        ("filmcrew.tools.x", "from filmcrew.agents.role import RoleSpec\n", "filmcrew.agents.role"),
        ("filmcrew.agents.x", "class A:\n    def m(self):\n        import filmcrew.orchestration.crew\n",
         "filmcrew.orchestration.crew"),
        ("filmcrew.tools.sound.x", "from ...orchestration import stages\n", "filmcrew.orchestration"),
        ("filmcrew.prompts.x", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from filmcrew.orchestration import c\n",
         "filmcrew.orchestration"),
    ],
)
def test_the_layer_check_catches_a_forbidden_import(module, source, culprit):
    found = violations("x.py", source, module)
    assert found and culprit in found[0] and found[0].startswith("x.py:")


def test_the_layer_check_allows_downward_imports():
    source = "from filmcrew.memory.models import Shot\nfrom filmcrew.tools.media import probe\nimport numpy\n"
    assert violations("x.py", source, "filmcrew.agents.x") == []
    assert violations("x.py", "from filmcrew.memory import rundir\n", "filmcrew.tools.x") == []


def import_graph(modules: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module -> {imported module: line}, for imports that run (type-checking-only ones excluded)."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for imp in imports_of(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"):
            if imp.type_checking:
                continue
            # `from pkg import name` names a submodule when one exists, else an attribute of pkg.
            target = imp.target if imp.target in modules else None
            if target is None:
                parent = imp.target.rpartition(".")[0]
                target = parent if parent in modules else None
            if target and target != module:
                edges.setdefault(target, imp.line)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    out.append(sorted(group))
    return out


def test_no_import_cycles_between_modules():
    modules = all_modules()
    graph = import_graph(modules)
    found = cycles(graph)
    lines = []
    for group in found:
        members = set(group)
        for m in group:
            for target, line in graph[m].items():
                if target in members:
                    lines.append(f"  {modules[m].relative_to(ROOT)}:{line}: {m} -> {target}")
    assert not found, "import cycles:\n" + "\n".join(lines)


def test_the_cycle_check_finds_a_loop():
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {}}) == []
