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
    FrameworkOpt,
    RedactOpt,
)
from sclearn.cli.views import (
    err,
    print_problems,
)
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
    InvalidFileError,
    UsageError,
)


@app.command("render")
def render(
    paths: Annotated[list[Path], typer.Argument(help="Pledge files or folders.")],
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or html.")] = "html",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The report file, or a folder for one report per pledge. "
        "Default: one pledge to the screen, several beside their pledge files.")] = None,
    templates: Annotated[Path | None, typer.Option(
        help="A folder of the board's own templates (missing ones fall back to the "
        "built-in ones).")] = None,
    redact: RedactOpt = False,
    case_pattern: CasePatternOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an existing output file of another kind (never a pledge).")
    ] = False,
) -> int:
    """Make a Markdown or HTML report of each pledge, laid out like the form."""
    from sclearn.core.privacy import redactor
    from sclearn.exports.render import output_paths
    from sclearn.exports.render import render as make_report
    from sclearn.files.discover import find_pledge_files
    from sclearn.files.pledges import load_pledge
    from sclearn.files.write import guard_output, write_output

    opt.check_format(fmt, ("md", "html"))
    cat = opt.catalogue_for_files(framework)
    day = opt.as_of(as_of)
    files = list(find_pledge_files(paths))
    if not files:
        raise UsageError("no *.pledge.yaml files found there")
    settings = opt.settings(paths[0])
    templates = templates or settings.resolve(settings.templates)
    if output is None and settings.output and len(files) > 1:
        output = settings.resolve(settings.output + "/")
    patterns = opt.case_patterns(case_pattern, paths[0])
    suffixes = (".html", ".htm") if fmt == "html" else (".md",)
    targets = list(output_paths(files, fmt, output))
    for target in targets:  # every output checked before any is written
        if target is not None:
            guard_output(target, suffixes, force=force)
    failed = False
    for source, target in zip(files, targets, strict=True):
        try:
            lp = load_pledge(source, cat)
            if not redact:
                opt.privacy_warning(lp, patterns)
            text = make_report(lp, fmt, templates=templates, as_of=day,
                               redact=redactor(patterns) if redact else None)
        except InvalidFileError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        if target is None:
            sys.stdout.write(text)
        else:
            write_output(target, text.encode("utf-8"), suffixes, force=force)
            err.print(f"wrote {escape(str(target))}")
    return EXIT_INVALID if failed else EXIT_OK


