"""One exception tree for everything a user can get wrong.

The CLI has a single handler (``sclearn.cli.main``) that turns these into a plain-English message
and the exit status named here, so no user ever sees a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Exit statuses, documented in the README ("Exit statuses").
EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_INVALID = 2
EXIT_CONFLICT = 3


@dataclass(frozen=True)
class Problem:
    """One located finding: an error or a warning about a place in a file."""

    message: str
    path: Path | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    point: str | None = None  # "point 4 (Assessment)" when the finding belongs to a point
    hint: str | None = None
    severity: str = "error"  # "error" | "warning"
    # Where in the file's data the problem is (("points", "assessment", "pledges", 1)), so a
    # form field or a table cell can show it; () when it is about the whole file.
    loc: tuple[str | int, ...] = ()

    @property
    def location(self) -> str:
        """``path:line:column``, as editors and terminals link them."""
        parts = [str(self.path) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.point:
            text = f"{self.location}: {self.point}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def kind_words(p: Problem) -> str:
    """A problem's kind in words, so it reads without colour: "must fix" or "worth a look"."""
    return "must fix" if p.severity == "error" else "worth a look"


class SclearnError(Exception):
    """Base of every error sclearn reports to a user."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Whole when it comes back from a worker process: pickle's default would call the
        # class with the message alone, losing the hint (and an InvalidFileError's problems).
        return _rebuilt, (type(self), self.__dict__)


def _rebuilt(cls: type[SclearnError], state: dict[str, Any]) -> SclearnError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class UsageError(SclearnError):
    """The command was asked for something that cannot be done as asked."""


class InvalidFileError(SclearnError):
    """A file could not be read or does not follow its format; carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FrameworkError(InvalidFileError):
    """A framework file is missing, unreadable or invalid."""


class ConflictError(SclearnError):
    """A write was refused so that nothing a user wrote is lost."""

    exit_code = EXIT_CONFLICT


# Where a problem is in words needs no pydantic: it lives here so that showing a problem
# (cli.views, and `--help`) does not import the models' machinery.
_WORDS = {"points": None, "extra_points": None}


def place(loc: tuple[str | int, ...], point: str | None = None) -> str:
    """Where a problem is, in words: ``point 4 (Assessment), pledges, item 2``.

    The point's label stands for the first two parts of the location; keys are given as they
    are written in the file, so they can be found; list positions count from 1."""
    parts: list[str] = []
    rest: tuple[str | int, ...] = loc
    if point and len(loc) >= 2 and loc[0] in _WORDS:
        parts.append(point)
        rest = loc[2:]
    elif point:
        parts.append(point)
    for part in rest:
        parts.append(f"item {part + 1}" if isinstance(part, int) else str(part))
    return ", ".join(parts)
