"""The house's rules, read from the source: no import cycles, and a domain that knows no web.

Every `import` and `from … import` counts, those inside functions too (a function-level
import hides a cycle from Python, not from the reader). Only explicit imports make edges: a
module does not depend on its package's `__init__` for this check.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("smsgateway", "menus", "workers")

# The capabilities: they import no Flask and nothing of the HTTP edges.
DOMAIN = ("smsgateway.kernel", "smsgateway.models", "smsgateway.villagers",
          "smsgateway.postings", "smsgateway.training", "smsgateway.followup",
          "smsgateway.broadcasts", "smsgateway.figures", "smsgateway.messaging",
          "smsgateway.conversation", "smsgateway.access")
EDGES = ("flask", "werkzeug", "smsgateway.api", "smsgateway.console", "smsgateway.web")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The modules `name` names in its imports (ours resolved to a module, others as written)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            named |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                child = f"{module}.{alias.name}"
                named.add(child if child in MODULES else module)
    return named


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module, or a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_sees_a_cycle_and_an_edge_import() -> None:
    """The check itself can fail: a made-up graph with a cycle is caught."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_cycle() -> None:
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(DOMAIN)))
def test_domain_modules_import_no_web_framework_api_or_console(name: str) -> None:
    wrong = sorted(m for m in GRAPH[name]
                   if any(m == edge or m.startswith(edge + ".") for edge in EDGES))
    assert wrong == [], f"{name} imports {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("smsgateway")))
def test_smsgateway_never_imports_workers(name: str) -> None:
    assert not [m for m in GRAPH[name] if m.split(".")[0] == "workers"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_import_of_our_own_names_a_module_that_exists(name: str) -> None:
    """Imports inside functions escape mypy (it ignores missing imports): a moved module
    left behind in one is caught here."""
    missing = sorted(m for m in GRAPH[name]
                     if m.split(".")[0] in PACKAGES and m not in MODULES)
    assert missing == [], f"{name} imports {missing}"
