"""Checking pledge files: the use case behind `sclearn check`."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from sclearn.core.completeness import FileReport, Privacy, Stage, check_loaded
from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.pledge import LoadedPledge
from sclearn.core.walk import entries
from sclearn.files.decode import read_source
from sclearn.files.discover import find_pledge_files
from sclearn.files.frameworks import Catalogue
from sclearn.files.lint import explain, point_labels, with_traps
from sclearn.files.pledges import parse_pledge
from sclearn.services.workspace import Workspace


def check_file(
    path: Path,
    catalogue: Catalogue,
    stage: Stage = "auto",
    as_of: dt.date | None = None,
    *,
    privacy: Privacy = "off",
    case_patterns: Sequence[re.Pattern[str]] = (),
    require_signoff: Sequence[int] = (),
) -> FileReport:
    """Check one pledge file; a file that cannot be read is a report with status "invalid"."""
    try:
        src = read_source(path)
    except InvalidFileError as exc:
        return FileReport(path, "invalid", problems=exc.problems, readable=False)
    try:
        lp = parse_pledge(src, catalogue)
    except InvalidFileError as exc:
        return FileReport(path, "invalid", problems=explain(exc.problems, src))
    report = check_loaded(
        lp,
        stage,
        as_of,
        privacy=privacy,
        case_patterns=case_patterns,
        require_signoff=require_signoff,
    )
    report.problems = with_traps(
        [*report.problems, *link_problems(lp)], src, point_labels(lp.framework)
    )
    return report


def link_problems(lp: LoadedPledge) -> list[Problem]:
    """Evidence links relative to the pledge file that do not exist (a warning)."""
    out = []
    for ref in entries(lp.pledge, lp.framework):
        for j, ev in enumerate(ref.entry.review.evidence if ref.entry.review else []):
            link = ev.link.strip()
            if not link or "://" in link or (lp.path.parent / link).exists():
                continue
            line, col = lp.where(*ref.loc, "review", "evidence", j, "link")
            out.append(
                Problem(
                    f"the evidence link '{link}' does not exist",
                    lp.path,
                    line,
                    col,
                    point=ref.label,
                    severity="warning",
                    hint="give a path relative to the pledge file, or an https address",
                )
            )
    return out


STATUSES = ("complete", "incomplete", "invalid")


def check_paths(
    ws: Workspace,
    paths: Sequence[Path],
    stage: Stage = "auto",
    as_of: dt.date | None = None,
    *,
    privacy: Privacy = "warn",
) -> Iterator[FileReport]:
    """Check every pledge file named or found below ``paths``, one report at a time.

    Reports are made as they are asked for, so a caller that shows each and lets it go keeps
    memory flat over a county's folder.
    """
    files = find_pledge_files(paths)
    first = next(files, None)
    if first is None:
        raise UsageError("no *.pledge.yaml files found there")
    for path in itertools.chain([first], files):
        yield check_file(
            path,
            ws.catalogue,
            stage,
            as_of,
            privacy=privacy,
            case_patterns=ws.case_patterns,
            require_signoff=ws.settings.require_signoff,
        )
