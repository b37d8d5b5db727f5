"""The one error boundary: every problem becomes a plain message and an exit status."""

from __future__ import annotations

import os
import sys

import typer
from rich.markup import escape

from sclearn.cli.app import app
from sclearn.cli.boundary import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_STOPPED,
    PipeClosed,
    Stopped,
)
from sclearn.cli.views import err, out, print_problems
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
        # Piped output is buffered: a reader that has gone shows up here, not at exit.
        sys.stdout.flush()
    except Stopped as exc:
        # A new line first: the cursor may still sit after a question's prompt.
        err.print("\n" + escape(exc.message))
        code = exc.exit_code
    except SclearnError as exc:
        code = _report(exc)
    except typer.Abort:  # Ctrl-C or Ctrl-D at a question no command answered for itself
        err.print("\nStopped.")
        code = EXIT_STOPPED
    except typer.TyperException as exc:  # wrong use: typer's usage line, help hint and error
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"Error: {escape(exc.format_message())}")
        code = EXIT_INVALID
    except KeyboardInterrupt:
        err.print("Stopped.")
        code = EXIT_STOPPED
    except (PipeClosed, BrokenPipeError):
        _silence_stdout()
        code = EXIT_BROKEN_PIPE
    except SystemExit:
        # rich meets a closed pipe by going quiet and exiting 1, and typer (printing help) by
        # wrapping stdout in its PacifyFlushWrapper and exiting 1; 1 would read as
        # "incomplete". Any other exit (shell completion's) is left alone.
        pacified = type(sys.stdout).__name__ == "PacifyFlushWrapper"
        if not (out.quiet or err.quiet or pacified):
            raise
        _silence_stdout()
        code = EXIT_BROKEN_PIPE
    except OSError as exc:  # a full disk, a read-only share, a folder where a file should be
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(
            f"[red]error:[/red] {escape(where)}{escape(exc.strerror or str(exc))}\n"
            "    [dim]→ check the path, that the drive is connected and that you may "
            "write there[/dim]"
        )
        code = EXIT_INVALID
    except Exception as exc:  # the promise: no user ever sees a traceback
        if os.environ.get("SCLEARN_DEBUG"):
            raise
        _crashed(exc, args)
        code = EXIT_INTERNAL
    else:
        # typer turns a Ctrl-C that no command saw (while parsing, say) into a return of 130.
        code = result if isinstance(result, int) else EXIT_OK
        if code == EXIT_STOPPED:
            err.print("Stopped.")
    if argv is None:
        sys.exit(code)
    return code


def _silence_stdout() -> None:
    """Send what is still buffered for a reader that has gone to /dev/null, so that Python's
    own flush at exit raises no second BrokenPipeError (the recipe in Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file: tests, embedding
        pass


def _crashed(exc: Exception, args: list[str]) -> None:
    """One plain line: what happened and where the details are; never a second traceback."""
    from sclearn.cli import crashlog

    what = escape(type(exc).__name__)
    try:
        path = crashlog.write(exc, args)
    except Exception as log_exc:  # a read-only home, a full disk: still say what to do
        err.print(
            f"[red]sclearn hit an unexpected problem ({what}) and could not write a crash "
            f"log ({escape(str(log_exc))}).[/red] Please run the command again with "
            "SCLEARN_DEBUG=1 and send what it shows to your training team."
        )
        return
    err.print(
        f"[red]sclearn hit an unexpected problem ({what}).[/red] The details are in "
        f"{escape(str(path))}: please send that file to your training team."
    )


__all__ = ["app", "main"]
