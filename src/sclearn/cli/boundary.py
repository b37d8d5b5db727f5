"""What the error boundary needs from every command: exit statuses, stops and text checks.

``sclearn.cli.main`` is the one place that turns problems into messages; this module holds what
the commands themselves must share with it, so that they need not import ``main``.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import typer
import typer.models

from sclearn.core.errors import SclearnError

# Exit statuses the boundary itself returns; the others are in sclearn.core.errors. All are
# documented in the README ("Exit statuses").
EXIT_INTERNAL = 70  # BSD's EX_SOFTWARE: an unexpected problem, written to a crash log
EXIT_STOPPED = 130  # 128 + SIGINT, the shell's status for Ctrl-C (Ctrl-D at a prompt too)
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what the shell reports for `yes | head -1`

F = TypeVar("F", bound=Callable[..., Any])


class Stopped(SclearnError):
    """The user stopped the command (Ctrl-C, or Ctrl-D at a question); the message says what
    became of what they had entered."""

    exit_code = EXIT_STOPPED


class PipeClosed(Exception):
    """Whatever read our output stopped reading (``sclearn check . | head -1``).

    Raised instead of BrokenPipeError because typer handles that one itself, exiting 1, which
    would read as "incomplete".
    """


def is_text(value: str) -> bool:
    """False for bytes that were not UTF-8 on the command line (Python keeps them as lone
    surrogates, which cannot be written to a file or a terminal)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _display_names(func: Callable[..., Any]) -> dict[str, str]:
    """Each parameter's name as a user types it: ``from_csv`` -> ``--from``, ``path`` -> PATH."""
    hints = typing.get_type_hints(func, include_extras=True)
    names = {}
    for name in inspect.signature(func).parameters:
        info = next(
            (
                m
                for m in getattr(hints.get(name), "__metadata__", ())
                if isinstance(m, typer.models.ParameterInfo)
            ),
            None,
        )
        decls = list(getattr(info, "param_decls", None) or [])
        if isinstance(info, typer.models.ArgumentInfo):
            names[name] = name.upper()
        else:
            longest = sorted(decls, key=lambda d: (not d.startswith("--"), -len(d)))
            names[name] = longest[0] if longest else "--" + name.replace("_", "-")
    return names


def guarded(func: F) -> F:
    """A command that refuses text that is not UTF-8, and hands stops and closed pipes to the
    boundary.

    Paths are left alone (typer gives them as ``Path``, and a file name need not be UTF-8);
    every other text parameter (options, arguments, their environment variables) is checked
    here, once for all commands, before the command can write anything.
    """
    names: dict[str, str] | None = None

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal names
        for key, value in kwargs.items():
            values = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(v, str) and not is_text(v) for v in values):
                names = names or _display_names(func)
                raise typer.BadParameter(
                    "this is not valid text (UTF-8); type it again, or check that your "
                    "terminal uses UTF-8",
                    param_hint=names.get(key, key),
                )
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            raise Stopped("Stopped.") from None
        except BrokenPipeError:
            raise PipeClosed() from None

    return typing.cast(F, wrapper)
