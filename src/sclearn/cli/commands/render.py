"""`sclearn render`: a report of each pledge."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import (
    AsOfOpt,
    CasePatternOpt,
    ForceOpt,
    FrameworkOpt,
    RedactOpt,
)
from sclearn.cli.views import print_problems, say
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
)
from sclearn.exports import registry


@app.command("render")
def render(
    paths: Annotated[
        list[Path], typer.Argument(metavar="FILE_OR_FOLDER...", help="Pledge files or folders.")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help=f"Output format: {registry.describe(registry.REPORT)}.",
        ),
    ] = "html",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE_OR_FOLDER",
            help="The report file, or a folder for one report per pledge. "
            "Default: one pledge to the screen, several beside their pledge files.",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="A folder of the board's own templates (missing ones fall back to the "
            "built-in ones).",
        ),
    ] = None,
    redact: RedactOpt = False,
    anonymise: Annotated[
        bool,
        typer.Option(
            "--anonymise",
            help="Leave out whose pledge it is: no name, members, role, team, "
            "agency, contact details or line manager, and their names removed from the text "
            "(implies --redact).",
        ),
    ] = False,
    case_pattern: CasePatternOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
    force: ForceOpt = False,
) -> int:
    """Make a Markdown or HTML report of each pledge, laid out like the form.

    \b
    Example:
      sclearn render sam-patel.pledge.yaml -o reports/
    """
    from sclearn.services.render import render_paths

    opt.check_format(fmt, registry.REPORT)
    ws = opt.workspace(paths[0], framework, case_pattern)
    failed = False
    for done in render_paths(
        ws,
        paths,
        fmt,
        output,
        templates=templates,
        as_of=opt.as_of(as_of),
        redact=redact,
        force=force,
        anonymise=anonymise,
    ):
        if done.problems:
            print_problems(done.problems)
            failed = True
            continue
        opt.privacy_warning(done.source, done.personal_data)
        if done.text is not None:
            sys.stdout.write(done.text)
        else:
            say(f"wrote {escape(str(done.target))}")
    return EXIT_INVALID if failed else EXIT_OK
