"""The one error boundary: every problem becomes a plain message and an exit status."""

from __future__ import annotations

import os
import sys

import click
from rich.markup import escape

from sclearn.cli import commands  # noqa: F401  (importing them registers the commands)
from sclearn.cli.app import app
from sclearn.cli.views import err, print_problems
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
    FrameworkError,
    InvalidFileError,
    SclearnError,
)


def _report(exc: SclearnError) -> int:
    if isinstance(exc, InvalidFileError):
        if isinstance(exc, FrameworkError):
            err.print("[red]The framework file has problems:[/red]")
        print_problems(exc.problems)
    else:
        err.print(f"[red]error:[/red] {escape(exc.message)}")
        if exc.hint:
            err.print(f"    [dim]→ {escape(exc.hint)}[/dim]")
    return exc.exit_code


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error becomes a message and an exit status, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = app(args=args, prog_name="sclearn", standalone_mode=False)
    except SclearnError as exc:
        code = _report(exc)
    except click.exceptions.Abort:
        err.print("Stopped. Nothing unsaved was written.")
        code = 130
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        err.print("Stopped. Nothing unsaved was written.")
        code = 130
    except OSError as exc:  # a full disk, a read-only share, a folder where a file should be
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"[red]error:[/red] {escape(where)}{escape(exc.strerror or str(exc))}\n"
                  "    [dim]→ check the path, that the drive is connected and that you may "
                  "write there[/dim]")
        code = EXIT_INVALID
    except Exception as exc:  # the promise: no user ever sees a traceback
        if os.environ.get("SCLEARN_DEBUG"):
            raise
        err.print(f"[red]sclearn hit an unexpected problem:[/red] {escape(type(exc).__name__)}: "
                  f"{escape(str(exc))}\n    [dim]→ please report this to your training team; "
                  "run again with SCLEARN_DEBUG=1 to see the details[/dim]")
        code = 70
    else:
        code = result if isinstance(result, int) else EXIT_OK
    if argv is None:
        sys.exit(code)
    return code


__all__ = ["app", "main"]
