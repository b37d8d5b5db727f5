"""`sclearn check`: is each pledge complete, and what is left to do."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, cast

import typer

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import (
    AsOfOpt,
    CasePatternOpt,
    FormatOpt,
    FrameworkOpt,
)
from sclearn.cli.views import out
from sclearn.core.completeness import Privacy, Stage
from sclearn.core.errors import (
    EXIT_INCOMPLETE,
    EXIT_INVALID,
    EXIT_OK,
)
from sclearn.exports import registry


@app.command("check")
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE_OR_FOLDER...",
            help="Pledge files, or folders to search for *.pledge.yaml.",
        ),
    ],
    stage: Annotated[
        str,
        typer.Option(
            metavar="STAGE",
            help="Which stage must be complete: 1, 2 or auto (stage 2 once dates.reviewed is set).",
        ),
    ] = "auto",
    fmt: FormatOpt = "text",
    privacy: Annotated[
        str,
        typer.Option(
            metavar="LEVEL",
            help="The personal-data check: warn (default), strict (a finding makes the file "
            "incomplete) or off.",
        ),
    ] = "warn",
    case_pattern: CasePatternOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="List every problem on its own, also gaps that many points "
            "share (without it, those are said once).",
        ),
    ] = False,
) -> int:
    """Report whether each pledge is complete, with every problem located and what to do.

    Exit status: 0 all complete, 1 some incomplete, 2 some invalid or unreadable.

    \b
    Example:
      sclearn check sam-patel.pledge.yaml
    """
    from sclearn.cli.reports import ReportWriter
    from sclearn.services.check import STATUSES, checker, pledge_files
    from sclearn.services.workers import each

    opt.check_format(fmt, registry.CHECK)
    if stage not in ("1", "2", "auto"):
        raise typer.BadParameter("use 1, 2 or auto", param_hint="--stage")
    if privacy not in ("off", "warn", "strict"):
        raise typer.BadParameter("use warn, strict or off", param_hint="--privacy")
    ws = opt.workspace(paths[0], framework, case_pattern)
    # Both were checked against their allowed values just above.
    # The fast parser pays over many files; one file is read carefully, without importing it.
    many = len(paths) > 1 or paths[0].is_dir()
    check_one = checker(
        ws, cast(Stage, stage), opt.as_of(as_of), privacy=cast(Privacy, privacy), fast=many
    )
    # Without a terminal (a file, a pipe, a script) each report goes out as plain text: rich's
    # rendering of every line cost more than checking the file, and adds no colour there.
    writer = ReportWriter(check_one, fmt, out.width, verbose, out.is_terminal)
    counts = dict.fromkeys(STATUSES, 0)
    # Each report is written and let go as it comes (from worker processes on a large
    # folder), so memory stays flat.
    if fmt == "json":
        sys.stdout.write('{"files": [')
    for n, (status, shown) in enumerate(each(writer, pledge_files(paths))):
        counts[status] += 1
        if isinstance(shown, list):
            for line in shown:  # already wrapped at spaces: a longer word runs on
                out.print(line, soft_wrap=True)
        elif fmt == "json":
            sys.stdout.write(("," if n else "") + "\n" + shown)
        else:
            out.file.write(shown)
    if fmt == "json":
        sys.stdout.write('\n], "summary": ' + json.dumps(counts) + "}\n")
    elif sum(counts.values()) > 1:
        out.print(
            f"\n{counts['complete']} complete, {counts['incomplete']} incomplete, "
            f"{counts['invalid']} invalid"
        )
    if counts["invalid"]:
        return EXIT_INVALID
    return EXIT_INCOMPLETE if counts["incomplete"] else EXIT_OK
