"""`sclearn import`: a filled-in Word form back into a pledge file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import FrameworkOpt
from sclearn.cli.views import err, print_problems
from sclearn.core.errors import (
    EXIT_CONFLICT,
    EXIT_INVALID,
    EXIT_OK,
    ConflictError,
    InvalidFileError,
    Problem,
    SclearnError,
    UsageError,
)


@app.command("import")
def import_(
    forms: Annotated[list[Path], typer.Argument(help="Filled-in forms (.docx).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="The folder to write a new pledge file into for each form. "
            "Default: beside each form.",
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option("--into", help="An existing pledge file to bring the form's changes into."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="With --into: show the change as a diff, and write nothing."
        ),
    ] = False,
    started: Annotated[
        str | None,
        typer.Option(
            "--started",
            help="For a form not made by sclearn: the pledge's start date "
            "(YYYY-MM-DD). Default: today.",
        ),
    ] = None,
    framework: FrameworkOpt = None,
) -> int:
    """Read filled-in Appendix 1 forms (made by `sclearn export`, or laid out like the
    seed's own form) into new pledge files, or into an existing one with --into."""
    from sclearn.services.import_form import import_into, import_new

    if into is not None and output is not None:
        raise UsageError("give either -o (new pledge files) or --into (an existing one), not both")
    if into is not None and len(forms) > 1:
        raise UsageError(
            "--into takes one form at a time",
            hint="import the forms one by one, or into new files with -o",
        )
    if dry_run and into is None:
        raise UsageError("--dry-run goes with --into", hint="add --into FILE.pledge.yaml")
    day = opt.date_option(started, "--started")
    ws = opt.workspace(into or forms[0], framework)
    code = EXIT_OK
    for form in forms:
        try:
            if into is not None:
                done = import_into(ws, form, into, dry_run=dry_run)
            else:
                done = import_new(ws, form, output or form.parent, day)
        except ConflictError as exc:
            err.print(f"[red]error:[/red] {escape(form.name)}: {escape(exc.message)}")
            if exc.hint:
                err.print(f"    [dim]→ {escape(exc.hint)}[/dim]")
            code = EXIT_CONFLICT
            continue
        except InvalidFileError as exc:
            print_problems(exc.problems)
            code = max(code, EXIT_INVALID)
            continue
        except SclearnError as exc:
            print_problems([Problem(exc.message, form, hint=exc.hint)])
            code = max(code, EXIT_INVALID)
            continue
        print_problems(done.problems)
        for note in done.notes:
            err.print(f"Note: {escape(note)}")
        if dry_run:
            sys.stdout.write(done.diff or f"{form}: no change to {into}\n")
        elif into is not None:
            err.print(
                f"{escape(str(form))}: "
                + (f"updated {escape(str(done.target))}" if done.changed else "nothing new")
            )
        else:
            err.print(f"{escape(str(form))}: wrote {escape(str(done.target))}")
    return code
