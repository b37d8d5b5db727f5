"""`sclearn status`: a board of every pledge's state, per line manager (or team, agency,
district)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import AsOfOpt, FrameworkOpt
from sclearn.cli.views import out, print_json, print_problems, word_table, write_csv
from sclearn.core.errors import EXIT_INVALID, EXIT_OK
from sclearn.exports import registry

NO_GROUP = {
    "manager": "No line manager named",
    "team": "No team named",
    "agency": "No agency named",
    "district": "No district named",
}


@app.command("status")
def status(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Pledge files or folders. Default: the current folder."),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by", help="Group by: manager (the line manager, default), team, agency or district."
        ),
    ] = "manager",
    fmt: Annotated[
        str, typer.Option("--format", help=f"Output format: {registry.describe(registry.LISTING)}.")
    ] = "text",
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
) -> int:
    """Show where every pledge stands (draft, stage 1 complete, stage 1 signed off, review
    due, review in progress, overdue, reviewed, stage 2 signed off, changed since sign-off),
    grouped per line manager, with counts."""
    from sclearn.services.status import GROUPINGS, board

    opt.check_format(fmt, registry.LISTING)
    if by not in GROUPINGS:
        raise typer.BadParameter(f"'{by}' is not one of: {', '.join(GROUPINGS)}", param_hint="--by")
    day = opt.as_of(as_of)
    ws = opt.workspace(paths[0] if paths else None, framework)
    b = board(
        paths or [Path.cwd()],
        ws.catalogue,
        day,
        by,  # type: ignore[arg-type]
        ws.settings.require_signoff,
    )
    if fmt == "json":
        print_json(b.as_json())
    elif fmt == "csv":
        write_csv(
            [s.as_row() for s in b.all()],
            ["group", "owner", "kind", "state", "review_due", "reviewed", "path"],
        )
    else:
        for name, items in b.groups.items():
            rows = [
                (escape(s.owner), s.state, f"{s.review_due:%d %b %Y}", escape(s.path))
                for s in items
            ]
            title = escape(name or NO_GROUP[by])
            out.print(word_table(title, ("owner", "state", "review due", "file"), rows, out.width))
            out.print(_counts(b.counts(items)))
        if not b.groups:
            out.print("No pledge files found there.")
        elif len(b.groups) > 1:
            out.print(f"\n[bold]All ({len(b.all())})[/bold]: {_counts(b.counts())}")
    print_problems(b.problems)
    return EXIT_INVALID if b.problems else EXIT_OK


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {state}" for state, n in counts.items() if n) or "none"
