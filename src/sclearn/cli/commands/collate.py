"""`sclearn collate`: many pledges summarised for the training team."""

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
    RedactOpt,
)
from sclearn.cli.views import (
    emit,
    err,
)
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
)
from sclearn.exports import registry


@app.command("collate")
def collate(
    paths: Annotated[list[Path], typer.Argument(metavar="FOLDER_OR_FILE...",
        help="Folders (or files) of pledge files.")],
    fmt: Annotated[str, typer.Option(
        "--format", metavar="FORMAT",
        help=f"Output format: {registry.describe(registry.COLLATION)}.")] = "md",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", metavar="FILE",
        help="The file to write. Default: the screen (xlsx needs -o).")
    ] = None,
    group_by: Annotated[str | None, typer.Option(metavar="FIELD",
        help="Break the figures down by agency, district, team or kind.")] = None,
    anonymise: Annotated[bool, typer.Option(
        "--anonymise", help="Leave out names, members, contact details and line managers "
        "(agency and district stay), so the output can be shared.")] = False,
    framework: Annotated[str | None, typer.Option(
        "--framework", metavar="FRAMEWORK",
        help="ID@VERSION: the framework edition to collate (default: the one "
        "most files use). Or a path: a board's own framework file or folder.")] = None,
    templates: Annotated[Path | None, typer.Option(metavar="FOLDER",
        help="A folder of the board's own templates (collate.md.j2, collate.html.j2).")
    ] = None,
    redact: RedactOpt = False,
    case_pattern: CasePatternOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Read every file again instead of using the cache.")] = False,
    as_of: AsOfOpt = None,
) -> int:
    """Collate many pledge files into a summary for the training team.

    Exit status 2 when some files could not be read (they are listed; the rest are counted).

    \b
    Example:
      sclearn collate pledges/ --format html -o collation.html
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from sclearn.exports.render import render_collation
    from sclearn.services import collate as co

    opt.check_format(fmt, registry.COLLATION)
    if group_by is not None and group_by not in co.GROUP_BY:
        raise typer.BadParameter(f"use one of {', '.join(co.GROUP_BY)}", param_hint="--group-by")
    if fmt == "xlsx" and output is None:
        raise UsageError("an xlsx workbook needs a file name", hint="add -o summary.xlsx")
    ws = opt.workspace(paths[0], framework, case_pattern, use_settings_framework=False)
    templates = templates or ws.settings.resolve(ws.settings.templates)
    catalogue = ws.catalogue
    # An edition named by ID@VERSION is collated; a path only adds a board's own frameworks.
    choose = ws.requested.ref if ws.requested and ws.by_name else None
    options = co.Options(as_of=opt.as_of(as_of), framework=choose, group_by=group_by,
                         anonymise=anonymise, detail=fmt != "json", use_cache=not no_cache,
                         redact=redact or anonymise,
                         case_patterns=tuple(p.pattern for p in ws.case_patterns))
    show = not quiet and sys.stderr.isatty()
    with Progress("Collating", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("files", total=None)
        result = co.collate(paths, catalogue, options,
                            on_start=lambda n: bar.update(task, total=n),
                            on_progress=lambda n: bar.advance(task, n))
    try:
        if fmt == "xlsx":
            assert output is not None
            co.write_xlsx(result, output)
        elif fmt == "csv":
            # Streamed: the item table can be hundreds of megabytes at county scale.
            from sclearn.files.write import atomic_output

            if output is None:
                co.write_csv(result, sys.stdout)
            else:
                with atomic_output(output) as handle:
                    co.write_csv(result, handle)
        elif fmt == "json":
            import json

            emit(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n", output)
        else:
            emit(render_collation(co.report_data(result), fmt, templates=templates), output)
    finally:
        result.close()
    if output is not None:
        err.print(f"wrote {escape(str(output))}: {result.files} files, "
                  f"{len(result.invalid)} could not be read")
    for bad in result.invalid:
        err.print(f"[yellow]could not be read:[/yellow] {escape(bad['path'])}: "
                  f"{escape(bad['error'])}")
    if result.privacy and not options.redact:
        err.print(f"[yellow]warning:[/yellow] {len(result.privacy)} files hold text that looks "
                  f"like personal data (for example {escape(result.privacy[0])}); check them "
                  "with `sclearn check`, or collate with --redact or --anonymise")
    return EXIT_INVALID if result.invalid else EXIT_OK


