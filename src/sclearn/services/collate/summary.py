"""One pledge file reduced to what collation needs: small, typed, and cacheable.

Everything that decides a file's figures lives here (or below, in core and files), so the
cache can fingerprint this code: a change to it must never be served old figures.

What reads a file (the pledge models, the checks) is imported when a file is first read: a
collation served from the cache reads none, and building those models is a tenth of it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sclearn.core.errors import InvalidFileError
from sclearn.core.vocabulary import LIST_FIELDS
from sclearn.files.decode import NotTextError, read_source
from sclearn.files.frameworks import Catalogue

if TYPE_CHECKING:
    from sclearn.core.pledge import LoadedPledge, PointEntry
    from sclearn.files.parser import Parser


# One framework point of one file: how many non-blank pledges, how many non-blank examples of
# good practice, and its progress. A plain tuple, not an object: a warm collation takes ten
# thousand files' points from the cache as they were stored, with nothing to build.
PointSummary = tuple[int, int, str | None]


@dataclass(slots=True)
class Summary:
    """The figures of one valid pledge file, and who it belongs to."""

    framework: str  # ID@VERSION
    kind: str
    owner: str
    role: str
    agency: str
    district: str
    team: str
    stage1: bool
    stage2: bool
    started: str  # ISO dates, as they appear in the outputs
    review_due: str
    reviewed: str | None
    points: dict[str, PointSummary]  # in the framework's order
    point_sources: dict[str, dict[str, int]]  # point id: evidence source: items
    extra_sources: dict[str, int]
    extra_points: int
    extra_pledges: int
    reflection: dict[str, dict[str, str]]  # domain: dimension: balance
    privacy: bool = False  # some text looks like personal data
    # Names to remove from every collated text when redacting (see Collation.unname).
    members: list[str] = field(default_factory=list)
    line_manager: str = ""
    in_progress: bool = False  # the review has started and is not finished
    signed: list[int] = field(default_factory=list)  # stages signed off
    signoff_changed: bool = False  # some stage changed since it was signed off
    point_signs: dict[str, dict[str, int]] = field(default_factory=dict)  # id: verdict: n


@dataclass(slots=True)
class Unreadable:
    """A file that could not be read or is not a valid pledge file."""

    error: str
    lasting: bool = False  # the error is in what the file holds: cached like a summary


class Item(NamedTuple):
    """One text of a file, one row of the item table."""

    number: int | str  # the point's number; "" for an extra point
    point_id: str
    field: str
    text: str
    source: str | None = None
    progress: str | None = None
    verdict: str | None = None  # for a sign of success: the review's verdict on it


@dataclass(slots=True)
class Result:
    """What reading one file gives: its summary (or why not), and its texts when wanted."""

    path: str
    read_at: int  # time.time_ns() just before reading
    summary: Summary | Unreadable
    items: list[Item] | None = field(default=None)


def summarise(lp: LoadedPledge) -> Summary:
    """The figures of one valid pledge file."""
    from sclearn.core.completeness import check_loaded, review_due
    from sclearn.core.signoff import review_state

    p, fw = lp.pledge, lp.framework
    report = check_loaded(lp, "auto")
    points: dict[str, PointSummary] = {}
    point_sources: dict[str, dict[str, int]] = {}
    for pt in fw.points:
        e = p.points.get(pt.id)
        if e is None:
            continue
        progress = e.review.progress if e.review else None
        points[pt.id] = (
            sum(bool(x.strip()) for x in e.pledges),
            sum(bool(x.strip()) for x in e.good_practice),
            progress,
        )
        if e.review and e.review.evidence:
            point_sources[pt.id] = dict(Counter(ev.source for ev in e.review.evidence))
    extra_sources = Counter(
        ev.source for e in p.extra_points if e.review for ev in e.review.evidence
    )
    point_signs = {
        pt.id: dict(Counter[str](e.review.signs))
        for pt in fw.points
        if (e := p.points.get(pt.id)) is not None and e.review and e.review.signs
    }
    o = p.owner
    return Summary(
        in_progress=review_state(p) == "in-progress",
        signed=[c.stage for c in report.signoffs],
        signoff_changed=any(c.changed for c in report.signoffs),
        point_signs=point_signs,
        framework=fw.ref,
        kind=o.kind,
        owner=o.name,
        role=o.role,
        agency=o.agency,
        district=o.district,
        team=o.team,
        stage1=report.stage1_complete,
        stage2=report.stage2_complete,
        started=p.dates.started.isoformat(),
        review_due=review_due(lp).isoformat(),
        reviewed=p.dates.reviewed.isoformat() if p.dates.reviewed else None,
        points=points,
        point_sources=point_sources,
        extra_sources=dict(extra_sources),
        extra_points=len(p.extra_points),
        extra_pledges=sum(len([x for x in e.pledges if x.strip()]) for e in p.extra_points),
        reflection={
            dom: {dim: r.balance for dim, r in (dims or {}).items() if r is not None and r.balance}
            for dom, dims in p.reflection.items()
        },
    )


def summarise_items(lp: LoadedPledge) -> list[Item]:
    """Every text in the file, one item each, in the file's order."""
    rows: list[Item] = []

    def entry_rows(number: int | str, pid: str, e: PointEntry) -> None:
        progress = e.review.progress if e.review else None
        for name in ("discussion", "skip"):
            text: str = getattr(e, name)
            if text.strip():
                rows.append(Item(number, pid, name, text))
        verdicts = e.review.signs if e.review else []
        for name in LIST_FIELDS:
            if name == "signs_of_success" and len(verdicts) == len(e.signs_of_success):
                rows.extend(
                    Item(number, pid, name, x, verdict=v)
                    for x, v in zip(e.signs_of_success, verdicts, strict=True)
                    if x.strip()
                )
                continue
            rows.extend(Item(number, pid, name, x) for x in getattr(e, name) if x.strip())
        if e.review:
            rows.extend(
                Item(number, pid, "evidence", ev.text, ev.source, progress)
                for ev in e.review.evidence
            )
            if e.review.notes.strip():
                rows.append(Item(number, pid, "review_notes", e.review.notes, None, progress))
            if progress and not e.review.evidence:
                rows.append(Item(number, pid, "progress", "", None, progress))

    for pt in lp.framework.points:
        e = lp.pledge.points.get(pt.id)
        if e is not None:
            entry_rows(pt.number, pt.id, e)
    for i, extra in enumerate(lp.pledge.extra_points):
        if extra.finding.strip():
            rows.append(Item("", f"extra-{i + 1}", "finding", extra.finding))
        entry_rows("", f"extra-{i + 1}", extra)
    return rows


def _first_error(exc: InvalidFileError) -> str:
    p = exc.problems[0]
    where = f"line {p.line}: " if p.line else ""
    more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
    return f"{where}{p.message}{more}"


@dataclass(slots=True)
class Reader:
    """Reads one file at a time into a Result: in a worker process, or in this one."""

    catalogue: Catalogue
    detail: bool  # whether the texts are wanted too
    case_patterns: list[re.Pattern[str]]
    parser: Parser | None = None  # the fast parser, unlocated, unless another is given

    def read(self, path: str) -> Result:
        """One file's summary, or why it could not be read."""
        from sclearn.core.privacy import any_found
        from sclearn.files.fastparse import FAST_UNLOCATED
        from sclearn.files.pledges import parse_pledge

        read_at = time.time_ns()
        try:
            src = read_source(Path(path))
        except InvalidFileError as exc:
            # Whether a file can be opened (a permission, the size limit) can change alone:
            # kept from the cache. Its encoding is in its bytes: cached, or a county's few
            # hundred mis-saved files would be read again, in workers, on every warm run.
            lasting = isinstance(exc, NotTextError)
            return Result(path, read_at, Unreadable(_first_error(exc), lasting), [])
        except OSError as exc:  # vanished or unreadable between listing and reading
            return Result(path, read_at, Unreadable(f"cannot be read: {exc.strerror or exc}"), [])
        try:
            # The figures never name a line, so a valid file's lines are not looked for.
            lp = parse_pledge(src, self.catalogue, self.parser or FAST_UNLOCATED)
        except InvalidFileError as exc:  # what the file holds: as lasting as the file
            return Result(path, read_at, Unreadable(_first_error(exc), lasting=True), [])
        summary = summarise(lp)
        summary.privacy = any_found(lp, self.case_patterns)
        summary.members = list(lp.pledge.owner.members)
        summary.line_manager = lp.pledge.line_manager.name
        return Result(path, read_at, summary, summarise_items(lp) if self.detail else None)
