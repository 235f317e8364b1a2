"""The conversation package imports no web, database, queue or provider library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

MENUS = Path(__file__).resolve().parent.parent / "menus"
FORBIDDEN = {"flask", "sqlalchemy", "redis", "rq", "twilio", "africastalking"}
SOURCES = sorted(MENUS.rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    """The top-level package of every module a source file imports."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_menus_has_sources() -> None:
    """The walk below sees the package's modules, the text catalogues included."""
    names = {path.relative_to(MENUS).as_posix() for path in SOURCES}
    assert {"ussd.py", "sms.py", "validate.py", "texts/zh.py", "texts/en.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.relative_to(MENUS).as_posix())
def test_no_forbidden_imports(path: Path) -> None:
    """No module of menus/ imports flask, sqlalchemy, redis, rq, twilio or africastalking."""
    assert not imported_roots(path) & FORBIDDEN


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.relative_to(MENUS).as_posix())
def test_only_stdlib_smsutil_and_menus(path: Path) -> None:
    """Modules import only the standard library, smsutil and menus itself."""
    allowed = set(sys.stdlib_module_names) | {"smsutil", "menus"}
    assert imported_roots(path) <= allowed
