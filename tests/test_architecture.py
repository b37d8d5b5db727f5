"""The layers import only downwards (ARCHITECTURE.md): a test that fails when one does not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "sclearn"
# What each layer may import, besides itself.
ALLOWED = {
    "core": set(),
    "files": {"core"},
    "exports": {"core", "files"},
    "imports": {"core", "files"},
    "services": {"core", "files", "exports", "imports"},
    "cli": {"core", "files", "exports", "imports", "services"},
}


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "sclearn" and len(parts) > 1 and parts[1] in ALLOWED:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_downwards(layer: str) -> None:
    wrong = {
        str(p.relative_to(SRC)): sorted(imported_layers(p) - ALLOWED[layer] - {layer})
        for p in (SRC / layer).rglob("*.py")
    }
    assert not {k: v for k, v in wrong.items() if v}


# About 400 lines as people write Python; `ruff format` puts each argument of a long call on a
# line of its own, which makes the same module about a tenth longer.
LIMIT = 450


def test_no_module_is_over_about_400_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not long, long
