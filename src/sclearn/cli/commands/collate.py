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
    ForceOpt,
    RedactOpt,
)
from sclearn.cli.views import err, say
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
)
from sclearn.exports import registry


@app.command("collate")
def collate(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="FOLDER_OR_FILE...", help="Folders (or files) of pledge files."),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help=f"Output format: {registry.describe(registry.COLLATION)}.",
        ),
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="The file to write. Default: the screen (xlsx needs -o).",
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            metavar="FIELD", help="Break the figures down by agency, district, team or kind."
        ),
    ] = None,
    anonymise: Annotated[
        bool,
        typer.Option(
            "--anonymise",
            help="Pseudonyms for owners and files; no names, members, contact "
            "details, line managers or names in the text; small groups merged and attributions "
            "generalised (see --min-group), so the output can be shared.",
        ),
    ] = False,
    min_group: Annotated[
        int | None,
        typer.Option(
            "--min-group",
            min=1,
            metavar="K",
            help="With --anonymise: merge groups of fewer "
            "than K pledges and generalise attributions until K share them (default 5).",
        ),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework",
            metavar="FRAMEWORK",
            help="ID@VERSION: the framework edition to collate (default: the one "
            "most files use). Or a path: a board's own framework file or folder.",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="A folder of the board's own templates (collate.md.j2, collate.html.j2).",
        ),
    ] = None,
    redact: RedactOpt = False,
    case_pattern: CasePatternOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read every file again instead of using the cache.")
    ] = False,
    as_of: AsOfOpt = None,
    force: ForceOpt = False,
) -> int:
    """Collate many pledge files into a summary for the training team.

    Exit status 2 when some files could not be read (they are listed; the rest are counted).

    \b
    Example:
      sclearn collate pledges/ --format html -o collation.html
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from sclearn.cli.interrupt import stop_on_ctrl_c
    from sclearn.files.write import guard_output, output_file, stream_output, write_output
    from sclearn.services import collate as co
    from sclearn.services.collate import outputs as out
    from sclearn.services.collate import tables, workbook

    opt.check_format(fmt, registry.COLLATION)
    if group_by is not None and group_by not in co.GROUP_BY:
        # UsageError, not typer.BadParameter: the error boundary reports it plainly (exit 2).
        raise UsageError(f"--group-by {group_by}: use one of {', '.join(co.GROUP_BY)}")
    if min_group is not None and not anonymise:
        raise UsageError(
            "--min-group only applies to anonymised outputs",
            hint="add --anonymise, or leave out --min-group",
        )
    if fmt == "xlsx" and output is None:
        raise UsageError("an xlsx workbook needs a file name", hint="add -o summary.xlsx")
    if fmt == "parquet":
        tables.need_pyarrow()  # before the work, not after
        if output is None:
            raise UsageError("a Parquet file needs a file name", hint="add -o items.parquet")
    form = registry.FORMATS[fmt]
    suffixes = (form.suffix, *form.aliases)
    if output is not None:  # refused before the work, not after
        guard_output(output, suffixes, force=force)
    ws = opt.workspace(paths[0], framework, case_pattern, use_settings_framework=False)
    templates = templates or ws.settings.resolve(ws.settings.templates)
    catalogue = ws.catalogue
    # An edition named by ID@VERSION is collated; a path only adds a board's own frameworks.
    choose = ws.requested.ref if ws.requested and ws.by_name else None
    options = co.Options(
        as_of=opt.as_of(as_of),
        framework=choose,
        group_by=group_by,
        anonymise=anonymise,
        detail=fmt != "json",
        table=fmt not in ("json", "md", "html"),
        report=fmt in ("md", "html"),
        use_cache=not no_cache,
        redact=redact or anonymise,
        min_group=min_group if min_group is not None else co.MIN_GROUP,
        case_patterns=tuple(p.pattern for p in ws.case_patterns),
    )
    show = not quiet and sys.stderr.isatty()
    # Ctrl-C stops at the next file or row: workers stopped, no output, no temporary file.
    with stop_on_ctrl_c() as stop:
        with Progress(
            "Collating",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("files", total=None)

            def advance(n: int) -> None:
                stop.check()
                if show:  # a hidden bar still counts under a lock, for every file
                    bar.advance(task, n)

            result = co.collate(
                paths,
                catalogue,
                options,
                on_start=lambda n: bar.update(task, total=n),
                on_progress=advance,
            )
        try:
            for note in result.notes:
                say(f"[dim]note:[/dim] {escape(note)}")
            if fmt in ("xlsx", "parquet"):
                assert output is not None
                with output_file(output, suffixes, force=force, check=stop.check) as raw:
                    if fmt == "xlsx":
                        notes = workbook.write_xlsx(result, raw, stop.check)
                    else:
                        notes, _ = [], tables.write_parquet(result, raw, stop.check)
                for note in notes:
                    say(f"[dim]note:[/dim] {escape(note)}")
            elif fmt == "csv":
                # Streamed: the item table can be hundreds of megabytes at county scale. The
                # byte-order mark is for a file a spreadsheet opens, not for another program.
                if output is None:
                    tables.write_csv(result, sys.stdout, stop.check, bom=False)
                else:
                    with stream_output(output, suffixes, force=force, check=stop.check) as handle:
                        tables.write_csv(result, handle, stop.check)
            else:
                if fmt == "json":
                    import json

                    text = json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
                else:
                    # Here, not above: jinja2 is a tenth of a warm json collation's time.
                    from sclearn.exports.render import render_collation

                    text = render_collation(out.report_data(result), fmt, templates=templates)
                stop.check()
                if output is None:
                    sys.stdout.write(text)
                else:
                    write_output(
                        output, text.encode("utf-8"), suffixes, force=force, check=stop.check
                    )
        finally:
            result.close()
    if output is not None:
        say(
            f"wrote {escape(str(output))}: {result.files} files, "
            f"{len(result.invalid)} could not be read"
        )
    if result.invalid:
        # One call: at county scale, hundreds of calls to rich cost more than the collation.
        say(
            "\n".join(
                f"[yellow]could not be read:[/yellow] {escape(bad['path'])}: {escape(bad['error'])}"
                for bad in result.invalid
            )
        )
    if result.privacy and not options.redact:
        say(
            f"[yellow]warning:[/yellow] {len(result.privacy)} files hold text that looks "
            f"like personal data (for example {escape(result.privacy[0])}); check them "
            "with `sclearn check`, or collate with --redact or --anonymise"
        )
    return EXIT_INVALID if result.invalid else EXIT_OK
