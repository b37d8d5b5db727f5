"""`sclearn due`: reviews overdue or due soon, and calendars for line managers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import (
    AsOfOpt,
    ForceOpt,
    FrameworkOpt,
)
from sclearn.cli.views import (
    err,
    out,
    print_json,
    print_problems,
    word_table,
    write_csv,
)
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
)
from sclearn.exports import registry


def _alarm_days(value: str) -> tuple[int, ...]:
    try:
        days = tuple(int(x) for x in value.split(",") if x.strip())
    except ValueError:
        days = (-1,)
    if any(d < 0 for d in days):
        raise typer.BadParameter(
            f"'{value}' is not a list of days, e.g. 14,1 (or 0 for none)", param_hint="--alarm"
        )
    return tuple(d for d in days if d)


@app.command("due")
def due(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FOLDER_OR_FILE...",
            help="Pledge files or folders. Default: the current folder.",
        ),
    ] = None,
    within: Annotated[
        int | None,
        typer.Option(
            metavar="DAYS",
            help="List reviews due within this many days (default 30; calendars: every "
            "unfinished review).",
        ),
    ] = None,
    manager: Annotated[
        str | None,
        typer.Option(
            "--manager",
            metavar="NAME",
            help="Only the reviews of this line manager (as named in the files).",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help=f"Output format: {registry.describe(registry.LISTING)}.",
        ),
    ] = "text",
    ics: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Also write a calendar file (.ics) with one event per unfinished review.",
        ),
    ] = None,
    ics_per_manager: Annotated[
        Path | None,
        typer.Option(
            "--ics-per-manager",
            metavar="FOLDER",
            help="Also write one calendar per line manager into this "
            "folder, each named after the manager (chris-lee.ics).",
        ),
    ] = None,
    alarm: Annotated[
        str,
        typer.Option(
            metavar="DAYS",
            help="Calendar reminders, in days before each review, separated by commas "
            "(0 for none).",
        ),
    ] = "14,1",
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
    force: ForceOpt = False,
) -> int:
    """List six-month reviews not finished yet (in progress or not started) that are overdue
    or due soon, soonest first; write calendars with reminders for line managers.

    \b
    Example:
      sclearn due pledges/ --within 60
    """
    from sclearn.files.write import guard_output, write_output
    from sclearn.services.due import by_manager, calendar, calendar_name, due_reviews

    opt.check_format(fmt, registry.LISTING)
    alarms = _alarm_days(alarm)
    if ics is not None:  # refused before the list is shown, not after
        guard_output(ics, (".ics",), force=force)
    if ics_per_manager is not None and ics_per_manager.exists() and not ics_per_manager.is_dir():
        raise UsageError(f"--ics-per-manager: {ics_per_manager} is a file, not a folder")
    day = opt.as_of(as_of)
    ws = opt.workspace(paths[0] if paths else None, framework)
    # Calendars hold every unfinished review unless --within says otherwise.
    everything, problems = due_reviews(paths or [Path.cwd()], ws.catalogue, day, within, manager)
    listed_within = 30 if within is None else within
    reviews = [r for r in everything if r.days <= listed_within]
    rows = [r.as_row() for r in reviews]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        write_csv(rows, list(rows[0]) if rows else ["due", "status", "owner"])
    else:
        title = (
            f"Six-month reviews not finished, overdue or due by "
            f"{day + dt.timedelta(days=listed_within):%d %B %Y}"
            + (f" ({escape(manager)})" if manager else "")
        )
        columns = ("due", "status", "owner", "line manager", "team", "file")
        table = word_table(
            title,
            columns,
            [
                (
                    f"{r.due:%d %b %Y}",
                    r.status,
                    escape(r.owner),
                    escape(r.line_manager),
                    escape(r.team),
                    escape(r.path),
                )
                for r in reviews
            ],
            out.width,
        )
        out.print(table if reviews else "No reviews are overdue or due in that time.")
    if ics is not None:
        write_output(ics, calendar(everything, day, alarms), (".ics",), force=force)
        err.print(f"Calendar with {len(everything)} events written to {escape(str(ics))}")
    if ics_per_manager is not None:
        ics_per_manager.mkdir(parents=True, exist_ok=True)
        for name, group in by_manager(everything).items():
            target = ics_per_manager / calendar_name(name)
            write_output(
                target,
                calendar(group, day, alarms, f"Pledge reviews: {name or 'no line manager'}"),
                (".ics",),
                force=force,
            )
            err.print(
                f"Calendar for {escape(name or 'reviews with no line manager')} "
                f"({len(group)} event{'s' if len(group) != 1 else ''}) written to "
                f"{escape(str(target))}"
            )
    print_problems(problems)
    return EXIT_INVALID if problems else EXIT_OK
