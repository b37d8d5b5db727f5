"""Options shared by several commands, and turning their values into what services take."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from sclearn.cli.views import say
from sclearn.core.errors import Problem
from sclearn.exports.registry import CHECK, FORMATS, Format, describe

if TYPE_CHECKING:
    from sclearn.services.workspace import Workspace


def _arguments_in_words() -> None:
    """Show a command argument in help as its metavar alone, as click does.

    typer 0.29 prints an argument's Python type beside its metavar (``FILE <list[Path]>``)
    and wraps a required one in braces (``{FILE}...``); people reading ``--help`` are not
    programmers. Only the text of help and usage changes."""
    from typer.core import TyperArgument

    def display_type_rich(self: TyperArgument, ctx: object) -> str | None:
        if self.metavar:
            return None
        return TyperArgument.display_type(self, ctx)  # type: ignore[arg-type]

    def usage_name(self: TyperArgument) -> str:
        name = self.metavar or self.name or ""
        return name if self.required else f"[{name}]"

    TyperArgument.display_type_rich = display_type_rich  # type: ignore[method-assign,assignment]
    TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


_arguments_in_words()

FrameworkOpt = Annotated[
    str | None,
    typer.Option(
        "--framework",
        metavar="FRAMEWORK",
        help="Framework to use: ID or ID@VERSION of a known one, or the path of a board's own "
        "framework file or folder. Default: the built-in latest.",
        envvar="SCLEARN_FRAMEWORK",
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing output file of another kind (never a pledge)."
    ),
]
FormatOpt = Annotated[
    str, typer.Option("--format", metavar="FORMAT", help=f"Output format: {describe(CHECK)}.")
]


def check_format(value: str, allowed: tuple[str, ...]) -> Format:
    """The ``--format`` asked for; one the command does not write is a usage error."""
    if value not in allowed:
        raise typer.BadParameter(
            f"'{value}' is not one of: {', '.join(allowed)}", param_hint="--format"
        )
    return FORMATS[value]


def interactive(no_input: bool) -> bool:
    """Whether questions may be asked: a terminal on both ends, and no --no-input."""
    return not no_input and sys.stdin.isatty() and sys.stdout.isatty()


CasePatternOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--case-pattern",
        metavar="PATTERN",
        help="A case reference format to look for in free text, as a regular "
        "expression (repeat for several), e.g. 'CP-\\d{6}'.",
    ),
]
RedactOpt = Annotated[
    bool,
    typer.Option(
        "--redact",
        help="Mask what looks like personal data (NHS numbers, postcodes, dates of "
        "birth, phone numbers, e-mail addresses, case references) in what is written.",
    ),
]


def workspace(
    near: Path | None,
    framework: str | None,
    case_pattern: list[str] | None = None,
    *,
    use_settings_framework: bool = True,
) -> Workspace:
    """The workspace a command runs in (see ``sclearn.services.workspace``)."""
    from sclearn.services.workspace import Workspace

    return Workspace.open(
        near,
        framework=framework,
        case_patterns=case_pattern or (),
        use_settings_framework=use_settings_framework,
    )


def privacy_warning(path: Path, found: Sequence[Problem]) -> None:
    """One line on stderr when a pledge holds what looks like personal data."""
    if found:
        say(
            f"[yellow]warning:[/yellow] {escape(str(path))}: {len(found)} piece"
            f"{'s' if len(found) != 1 else ''} of text look like personal data (first "
            f"on line {found[0].line}); see `sclearn check {escape(str(path))}`, or "
            "use --redact"
        )


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Treat this date (YYYY-MM-DD) as today, to reproduce a report.",
    ),
]


def as_of(value: str | None) -> dt.date:
    """The ``--as-of`` date (default today)."""
    return date_option(value, "--as-of")


def date_option(value: str | None, name: str) -> dt.date:
    """A YYYY-MM-DD option's date (default today); anything else is a usage error."""
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date in the form YYYY-MM-DD", param_hint=name
        ) from None
