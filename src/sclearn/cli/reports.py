"""What `sclearn check` writes of each file, made where the file is checked.

A report is turned into its output (JSON, plain text, or rich lines for a terminal) as soon as
it is made, in a worker process when there is one, and only that goes back: a pledge's model
and locations never cross between processes, and nothing of a file is kept once written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sclearn.cli.views import report_lines, report_text

if TYPE_CHECKING:
    from rich.text import Text

    from sclearn.services.check import Checker

Status = Literal["complete", "incomplete", "invalid"]


@dataclass(frozen=True)
class ReportWriter:
    """Checks one file and gives its status with what `check` writes of it.

    ``fmt`` "json" gives the file's JSON object; "text" gives its lines as plain text, or as
    rich lines (``terminal``) to be printed with colour. Picklable, for worker processes."""

    check: Checker
    fmt: str = "text"
    width: int = 80
    verbose: bool = False
    terminal: bool = False

    def __call__(self, path: Path) -> tuple[Status, str | list[Text]]:
        """The file's status and what is written of it."""
        r = self.check(path)
        if self.fmt == "json":
            return r.status, json.dumps(r.as_json(), indent=2, ensure_ascii=False)
        if self.terminal:
            return r.status, report_lines(r, self.width, verbose=self.verbose)
        return r.status, report_text(r, self.width, verbose=self.verbose)
