"""Checking pledge files: the use case behind `sclearn check`."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sclearn.core.completeness import FileReport, Privacy, Stage, check_loaded
from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.pledge import LoadedPledge
from sclearn.core.walk import entries
from sclearn.files.decode import read_source
from sclearn.files.discover import find_pledge_files
from sclearn.files.fastparse import FastParser
from sclearn.files.frameworks import Catalogue
from sclearn.files.lint import explain, point_labels, traps_of, with_traps
from sclearn.files.parser import CarefulParser, Parser
from sclearn.files.pledges import parse_pledge
from sclearn.services.workspace import Workspace

# Both keep libyaml's node tree once they have it, so the YAML traps are found without
# composing the file again; the fast one reads carefully only a file with something to say.
CAREFUL_CHECK: Parser = CarefulParser(keep_tree=True)
FAST_CHECK: Parser = FastParser(fallback=CAREFUL_CHECK, keep_tree=True)


def check_file(
    path: Path,
    catalogue: Catalogue,
    stage: Stage = "auto",
    as_of: dt.date | None = None,
    *,
    privacy: Privacy = "off",
    case_patterns: Sequence[re.Pattern[str]] = (),
    require_signoff: Sequence[int] = (),
    parser: Parser = CAREFUL_CHECK,
) -> FileReport:
    """Check one pledge file; a file that cannot be read is a report with status "invalid".

    ``FAST_CHECK`` gives the same report: a file whose report names any line is read by
    the careful parser too, so every line and column is the careful parser's."""
    try:
        src = read_source(path)
    except InvalidFileError as exc:
        return FileReport(path, "invalid", problems=exc.problems, readable=False)
    try:
        lp = parse_pledge(src, catalogue, parser)
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
    label = point_labels(lp.framework)
    problems = [*report.problems, *link_problems(lp)]
    report.problems = with_traps(problems, src, label, found=traps_of(src, lp.locs, label))
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


@dataclass(frozen=True)
class Checker:
    """``check_file`` with a run's settings, as one picklable callable (for worker processes).

    ``fast`` chooses ``FAST_CHECK`` over ``CAREFUL_CHECK``; the reports are the same."""

    catalogue: Catalogue
    stage: Stage = "auto"
    as_of: dt.date | None = None
    privacy: Privacy = "warn"
    case_patterns: tuple[re.Pattern[str], ...] = ()
    require_signoff: tuple[int, ...] = ()
    fast: bool = True

    def __call__(self, path: Path) -> FileReport:
        """The report on one file."""
        return check_file(
            path,
            self.catalogue,
            self.stage,
            self.as_of,
            privacy=self.privacy,
            case_patterns=self.case_patterns,
            require_signoff=self.require_signoff,
            parser=FAST_CHECK if self.fast else CAREFUL_CHECK,
        )


def checker(
    ws: Workspace,
    stage: Stage = "auto",
    as_of: dt.date | None = None,
    *,
    privacy: Privacy = "warn",
    fast: bool = True,
) -> Checker:
    """The checker of one run, with the workspace's case patterns and sign-off rule."""
    return Checker(
        ws.catalogue,
        stage,
        as_of,
        privacy,
        tuple(ws.case_patterns),
        tuple(ws.settings.require_signoff),
        fast,
    )


def pledge_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Every pledge file named or found below ``paths``, found as they are asked for; a
    ``UsageError`` at once when there is none."""
    files = find_pledge_files(paths)
    first = next(files, None)
    if first is None:
        raise UsageError("no *.pledge.yaml files found there")
    return itertools.chain([first], files)


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
    check = checker(ws, stage, as_of, privacy=privacy)
    return (check(path) for path in pledge_files(paths))
