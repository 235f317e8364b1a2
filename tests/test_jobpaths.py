"""Jobs are enqueued by dotted path; each path names a real function in `workers`."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from smsgateway.messaging import jobpaths


@pytest.mark.parametrize("path", jobpaths.ALL)
def test_job_path_resolves_to_a_function(path):
    """`module.function` imports and is callable."""
    module_name, _, name = path.rpartition(".")
    assert callable(getattr(importlib.import_module(module_name), name))


def test_smsgateway_never_imports_workers():
    """Imports run one way: workers use smsgateway, never the reverse."""
    offenders = []
    for source in Path("smsgateway").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{source}: {n}" for n in names if n.split(".")[0] == "workers"]
    assert offenders == []
