"""Checking pledge files: the use case behind `sclearn check`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from sclearn.core.completeness import FileReport, Privacy, Stage, check_loaded
from sclearn.core.errors import InvalidFileError
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge


def check_file(path: Path, catalogue: Catalogue, stage: Stage = "auto",
               as_of: dt.date | None = None, *, privacy: Privacy = "off",
               case_patterns: Sequence[re.Pattern[str]] = ()) -> FileReport:
    try:
        lp = load_pledge(path, catalogue)
    except InvalidFileError as exc:
        return FileReport(path, "invalid", problems=exc.problems)
    return check_loaded(lp, stage, as_of, privacy=privacy, case_patterns=case_patterns)


