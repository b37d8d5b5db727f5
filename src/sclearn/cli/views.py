"""Terminal output: rich for people, plain JSON for scripts."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from sclearn.core.completeness import FileReport
from sclearn.core.errors import Problem
from sclearn.core.framework import Bullet
from sclearn.core.privacy import is_personal_data

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Write data as indented JSON on stdout, for scripts."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def problem_line(p: Problem) -> str:
    """One problem as a line of rich markup: where, how serious, what, and what to do."""
    colour = "red" if p.severity == "error" else "yellow"
    word = "error" if p.severity == "error" else "warning"
    where = f"{escape(p.location)}: " if p.path or p.line else ""
    point = f"{escape(p.point)}: " if p.point else ""
    hint = f"\n    [dim]→ {escape(p.hint)}[/dim]" if p.hint else ""
    return f"{where}[{colour}]{word}[/{colour}]: {point}{escape(p.message)}{hint}"


def print_problems(problems: Iterable[Problem], console: Console = err) -> None:
    """Print each problem on its own line (stderr unless another console is given)."""
    for p in problems:
        console.print(problem_line(p))


def bullet_tree(label: str, bullets: list[Bullet]) -> Tree:
    """Nested bullets (key points, considerations) as a rich tree under a bold label."""
    tree = Tree(f"[bold]{escape(label)}[/bold]", guide_style="dim")
    _add(tree, bullets)
    return tree


def _add(tree: Tree, bullets: list[Bullet]) -> None:
    for b in bullets:
        if isinstance(b, str):
            tree.add(escape(b))
        else:
            _add(tree.add(escape(b.text)), b.items)


def print_report(r: FileReport) -> None:
    """Show what `check` found in one file: a headline, then a table of problems."""
    colour = {"complete": "green", "incomplete": "yellow", "invalid": "red"}[r.status]
    if r.status == "invalid":
        headline = "cannot be read"
    else:
        headline = (f"stage {r.stage} {r.status}" + (" · stage 1 complete"
                    if r.stage == 2 and r.stage1_complete and not r.stage2_complete else ""))
    out.print(f"[bold]{escape(str(r.path))}[/bold]: [{colour}]{headline}[/{colour}]"
              + (f" ({len(r.errors)} to do, {len(r.warnings)} warnings)" if r.problems else ""))
    if not r.problems:
        return
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("line", "point", "problem", "what to do"):
        table.add_column(col, overflow="fold")
    # One row per point: a fresh file would otherwise list five lines for each of its points.
    # A personal-data finding has a row of its own, at its own line, to be found and removed.
    for _, group in itertools.groupby(
            r.problems, key=lambda p: id(p) if is_personal_data(p) else p.point or id(p)):
        items = list(group)
        cells = [f"[{'red' if p.severity == 'error' else 'yellow'}]{escape(p.message)}[/]"
                 for p in items]
        hints = dict.fromkeys(escape(p.hint) for p in items if p.hint)
        table.add_row(f"{items[0].line or ''}", escape(items[0].point or ""), "; ".join(cells),
                      "; ".join(hints))
    out.print(table)



def write_csv(rows: Sequence[Mapping[str, object]], columns: list[str]) -> None:
    """Write rows as CSV on stdout, with every cell safe to open in a spreadsheet."""
    import csv

    from sclearn.exports.safety import spreadsheet_cell

    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})



def emit(text: str, output: Path | None, suffixes: Sequence[str] | None = None, *,
         force: bool = False) -> None:
    """Text to the screen, or to ``output`` through the output guard (see files.write)."""
    from sclearn.files.write import OUTPUT_SUFFIXES, write_output

    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text.encode("utf-8"), suffixes or OUTPUT_SUFFIXES, force=force)

