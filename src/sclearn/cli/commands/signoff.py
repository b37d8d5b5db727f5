"""`sclearn signoff`: record that the line manager agreed a stage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import FrameworkOpt
from sclearn.cli.views import err, out
from sclearn.core.errors import EXIT_OK, SclearnError


@app.command("signoff")
def signoff(
    paths: Annotated[list[Path], typer.Argument(help="The pledge files to sign off.")],
    stage: Annotated[
        int, typer.Option(help="The stage agreed: 1 (the pledge) or 2 (the six-month review).")
    ],
    by: Annotated[str, typer.Option("--by", help="Who agreed it, e.g. the line manager.")],
    role: Annotated[str, typer.Option(help="Their role, e.g. Team Manager.")] = "",
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The day it was agreed (e.g. the supervision), YYYY-MM-DD. Default: today.",
        ),
    ] = None,
    incomplete: Annotated[
        bool, typer.Option("--incomplete", help="Sign off a stage that is not complete.")
    ] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Record that a stage was agreed (signed off), with a digest of what was agreed, so that
    `sclearn check` can say if it changes afterwards. An incomplete stage is refused, saying
    what is missing, unless --incomplete is given."""
    from sclearn.services.signoff import sign

    if stage not in (1, 2):
        raise typer.BadParameter("use 1 or 2", param_hint="--stage")
    day = opt.date_option(date, "--date")
    ws = opt.workspace(paths[0], framework)
    failed = EXIT_OK
    for path in paths:
        try:
            done = sign(
                path, ws.catalogue, stage, by.strip(), role.strip(), day, incomplete=incomplete
            )
        except SclearnError as exc:
            if len(paths) == 1:
                raise
            # One file that cannot be signed does not stop the others.
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            failed = max(failed, exc.exit_code)
            continue
        name = escape(str(path))
        if done.unchanged:
            out.print(f"{name}: stage {stage} was already signed off as it is; nothing changed.")
            continue
        out.print(
            f"{name}: stage {stage} signed off by {escape(by.strip())}"
            + (f" ({escape(role.strip())})" if role.strip() else "")
            + f" on {day.day} {day:%B %Y}"
            + (" (not complete)" if done.incomplete else "")
            + (
                f"; this replaces the earlier sign-off ({escape(done.replaced)})"
                if done.replaced
                else ""
            )
            + "."
        )
    return failed
