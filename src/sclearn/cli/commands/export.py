"""`sclearn export`: the Appendix 1 form in Word, filled in from each pledge."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import ForceOpt, FrameworkOpt
from sclearn.cli.views import err, print_problems
from sclearn.core.errors import EXIT_INVALID, EXIT_OK
from sclearn.exports import registry


@app.command("export")
def export(
    paths: Annotated[list[Path], typer.Argument(help="Pledge files or folders.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"Output format: {registry.describe(registry.FORM)}.")
    ] = "docx",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="The form's file (one pledge), or a folder for one form per "
            "pledge. Default: beside each pledge file, named after it.",
        ),
    ] = None,
    force: ForceOpt = False,
    framework: FrameworkOpt = None,
) -> int:
    """Write the Appendix 1 form of each pledge as a Word document, filled in with what the
    pledge holds, to fill in and bring back with `sclearn import`."""
    from sclearn.services.export import export_paths

    opt.check_format(fmt, registry.FORM)
    ws = opt.workspace(paths[0], framework)
    failed = False
    for done in export_paths(ws, paths, output, force=force):
        if done.problems:
            print_problems(done.problems)
            failed = True
        else:
            err.print(f"wrote {escape(str(done.target))}")
    return EXIT_INVALID if failed else EXIT_OK
