"""Options shared by several commands, and turning their values into what services take."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli.views import err
from sclearn.core.pledge import LoadedPledge
from sclearn.files.frameworks import Catalogue
from sclearn.files.settings import Settings

FrameworkOpt = Annotated[
    str | None,
    typer.Option(
        "--framework",
        help="Framework to use: ID or ID@VERSION of a known one, or the path of a board's own "
        "framework file or folder. Default: the built-in latest.",
        envvar="SCLEARN_FRAMEWORK",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", help="Output format: text or json.")]



def check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise typer.BadParameter(f"'{value}' is not one of: {', '.join(allowed)}",
                                 param_hint="--format")
    return value



def interactive(no_input: bool) -> bool:
    return not no_input and sys.stdin.isatty() and sys.stdout.isatty()



CasePatternOpt = Annotated[list[str] | None, typer.Option(
    "--case-pattern", help="A case reference format to look for in free text, as a regular "
    "expression (repeat for several), e.g. 'CP-\\d{6}'.")]
RedactOpt = Annotated[bool, typer.Option(
    "--redact", help="Mask what looks like personal data (NHS numbers, postcodes, dates of "
    "birth, phone numbers, e-mail addresses, case references) in what is written.")]


def case_patterns(given: list[str] | None, near: Path | None = None
                   ) -> list[re.Pattern[str]]:
    """The case reference patterns given, and those of the folder's sclearn.toml."""
    from sclearn.core.privacy import compile_patterns

    return compile_patterns([*(given or []), *settings(near).case_reference_patterns])


def privacy_warning(lp: LoadedPledge, patterns: list[re.Pattern[str]]) -> None:
    from sclearn.core.privacy import scan

    found = scan(lp, patterns)
    if found:
        err.print(f"[yellow]warning:[/yellow] {escape(str(lp.path))}: {len(found)} piece"
                  f"{'s' if len(found) != 1 else ''} of text look like personal data (first "
                  f"on line {found[0].line}); see `sclearn check {escape(str(lp.path))}`, or "
                  "use --redact")


AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Treat this date (YYYY-MM-DD) as today, to reproduce a report.")]


def as_of(value: str | None) -> dt.date:
    return date_option(value, "--as-of")



def catalogue_for_files(framework: str | None) -> Catalogue:
    """Files name their own framework; --framework only adds a board's own files to choose from."""
    if framework and Path(framework).exists():
        return Catalogue.load([Path(framework)])
    return Catalogue.load()



def date_option(value: str | None, name: str) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD",
                                 param_hint=name) from None



def settings(start: Path | None = None) -> Settings:
    from sclearn.files.settings import find

    return find(start)

