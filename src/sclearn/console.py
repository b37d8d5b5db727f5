"""Terminal output: rich for people, plain JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from sclearn.errors import Problem
from sclearn.framework import Bullet

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def problem_line(p: Problem) -> str:
    colour = "red" if p.severity == "error" else "yellow"
    word = "error" if p.severity == "error" else "warning"
    where = f"{escape(p.location)}: " if p.path or p.line else ""
    point = f"{escape(p.point)}: " if p.point else ""
    hint = f"\n    [dim]→ {escape(p.hint)}[/dim]" if p.hint else ""
    return f"{where}[{colour}]{word}[/{colour}]: {point}{escape(p.message)}{hint}"


def print_problems(problems: Iterable[Problem], console: Console = err) -> None:
    for p in problems:
        console.print(problem_line(p))


def bullet_tree(label: str, bullets: list[Bullet]) -> Tree:
    tree = Tree(f"[bold]{escape(label)}[/bold]", guide_style="dim")
    _add(tree, bullets)
    return tree


def _add(tree: Tree, bullets: list[Bullet]) -> None:
    for b in bullets:
        if isinstance(b, str):
            tree.add(escape(b))
        else:
            _add(tree.add(escape(b.text)), b.items)
