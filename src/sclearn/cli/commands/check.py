"""`sclearn check`: is each pledge complete, and what is left to do."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import (
    AsOfOpt,
    CasePatternOpt,
    FormatOpt,
    FrameworkOpt,
)
from sclearn.cli.views import (
    out,
    print_json,
    print_report,
)
from sclearn.core.errors import (
    EXIT_INCOMPLETE,
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
)
from sclearn.exports import registry


@app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(
        help="Pledge files, or folders to search for *.pledge.yaml.")],
    stage: Annotated[str, typer.Option(
        help="Which stage must be complete: 1, 2, or auto (2 once dates.reviewed is set).")
    ] = "auto",
    fmt: FormatOpt = "text",
    privacy: Annotated[str, typer.Option(
        help="The personal-data check: warn (default), strict (a finding makes the file "
        "incomplete) or off.")] = "warn",
    case_pattern: CasePatternOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
) -> int:
    """Report whether each pledge is complete, with every problem located and what to do.

    Exit status: 0 all complete, 1 some incomplete, 2 some invalid or unreadable."""
    from sclearn.files.discover import find_pledge_files
    from sclearn.services.check import check_file

    opt.check_format(fmt, registry.CHECK)
    if stage not in ("1", "2", "auto"):
        raise typer.BadParameter("use 1, 2 or auto", param_hint="--stage")
    ws = opt.workspace(paths[0], framework, case_pattern)
    day = opt.as_of(as_of)
    files = list(find_pledge_files(paths))
    if not files:
        raise UsageError("no *.pledge.yaml files found there")
    if privacy not in ("off", "warn", "strict"):
        raise typer.BadParameter("use warn, strict or off", param_hint="--privacy")
    reports = [check_file(f, ws.catalogue, stage, day, privacy=privacy,  # type: ignore[arg-type]
                          case_patterns=ws.case_patterns) for f in files]
    counts = {s: sum(r.status == s for r in reports) for s in ("complete", "incomplete", "invalid")}
    if fmt == "json":
        print_json({"files": [r.as_json() for r in reports], "summary": counts})
    else:
        for r in reports:
            print_report(r)
        if len(reports) > 1:
            out.print(f"\n{counts['complete']} complete, {counts['incomplete']} incomplete, "
                      f"{counts['invalid']} invalid")
    if counts["invalid"]:
        return EXIT_INVALID
    return EXIT_INCOMPLETE if counts["incomplete"] else EXIT_OK


