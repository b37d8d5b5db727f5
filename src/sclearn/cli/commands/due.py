"""`sclearn due`: reviews overdue or due soon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import (
    AsOfOpt,
    FrameworkOpt,
)
from sclearn.cli.views import (
    err,
    out,
    print_json,
    print_problems,
    write_csv,
)
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
)
from sclearn.exports import registry


@app.command("due")
def due(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="FOLDER_OR_FILE...",
        help="Pledge files or folders. Default: the current folder.")] = None,
    within: Annotated[int, typer.Option(metavar="DAYS",
        help="Also list reviews due within this many days.")] = 30,
    fmt: Annotated[str, typer.Option(
        "--format", metavar="FORMAT",
        help=f"Output format: {registry.describe(registry.LISTING)}.")] = "text",
    ics: Annotated[Path | None, typer.Option(metavar="FILE",
        help="Also write a calendar file (.ics) with one event per review.")] = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing output file of another kind (never a pledge).")
    ] = False,
) -> int:
    """List six-month reviews that are overdue or due soon, soonest first.

    \b
    Example:
      sclearn due pledges/ --within 60
    """
    from sclearn.services.due import calendar, due_reviews

    opt.check_format(fmt, registry.LISTING)
    if ics is not None:  # refused before the list is shown, not after
        from sclearn.files.write import guard_output

        guard_output(ics, (".ics",), force=force)
    day = opt.as_of(as_of)
    ws = opt.workspace(paths[0] if paths else None, framework)
    reviews, problems = due_reviews(paths or [Path.cwd()], ws.catalogue, day, within)
    rows = [r.as_row() for r in reviews]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        write_csv(rows, list(rows[0]) if rows else ["due", "status", "owner"])
    else:
        table = Table(title=f"Six-month reviews overdue or due by "
                      f"{day + dt.timedelta(days=within):%d %B %Y}")
        for col in ("due", "status", "owner", "line manager", "team", "file"):
            table.add_column(col, overflow="fold")
        for r in reviews:
            table.add_row(f"{r.due:%d %b %Y}", r.status, escape(r.owner),
                          escape(r.line_manager), escape(r.team), escape(r.path))
        out.print(table if reviews else "No reviews are overdue or due in that time.")
    if ics is not None:
        from sclearn.files.write import write_output

        write_output(ics, calendar(reviews, day), (".ics",), force=force)
        err.print(f"Calendar with {len(reviews)} events written to {escape(str(ics))}")
    print_problems(problems)
    return EXIT_INVALID if problems else EXIT_OK


