"""`sclearn due`: which six-month reviews are overdue or coming up, for line managers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from sclearn.core.completeness import review_due
from sclearn.core.errors import InvalidFileError, Problem
from sclearn.files.discover import find_pledge_files
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge


@dataclass(frozen=True)
class DueReview:
    """One review that is overdue or due soon."""
    due: dt.date
    days: int  # from the as-of date to the due date; negative when overdue
    owner: str
    kind: str
    team: str
    agency: str
    district: str
    line_manager: str
    line_manager_email: str
    path: str

    @property
    def status(self) -> str:
        """"overdue by N days" or "due in N days", in words."""
        if self.days < 0:
            return f"overdue by {-self.days} day{'s' if self.days != -1 else ''}"
        if self.days == 0:
            return "due today"
        return f"due in {self.days} day{'s' if self.days != 1 else ''}"

    def as_row(self) -> dict[str, str | int]:
        """The review as a row for JSON or CSV."""
        row: dict[str, str | int] = {k: v for k, v in asdict(self).items() if k != "due"}
        return {"due": self.due.isoformat(), "status": self.status, **row}


def due_reviews(paths: Iterable[Path], catalogue: Catalogue, as_of: dt.date, within: int
                ) -> tuple[list[DueReview], list[Problem]]:
    """Unreviewed pledges due on or before ``as_of + within`` days, soonest first."""
    found: list[DueReview] = []
    problems: list[Problem] = []
    for path in find_pledge_files(paths):
        try:
            lp = load_pledge(path, catalogue)
        except InvalidFileError as exc:
            problems += exc.problems
            continue
        p = lp.pledge
        if p.dates.reviewed is not None:
            continue
        due = review_due(lp)
        days = (due - as_of).days
        if days <= within:
            found.append(DueReview(due, days, p.owner.name, p.owner.kind, p.owner.team,
                                   p.owner.agency, p.owner.district, p.line_manager.name,
                                   p.line_manager.email, str(path)))
    found.sort(key=lambda r: (r.due, r.owner))
    return found, problems


def calendar(reviews: Iterable[DueReview], as_of: dt.date) -> bytes:
    """An RFC 5545 calendar with one all-day event per review, for any calendar program."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//sclearn//Developing and Improving Practice Pledge//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Six-month pledge reviews")
    for r in reviews:
        event = Event()
        # Stable across runs, so re-importing updates an event instead of duplicating it.
        uid = hashlib.sha256(f"{r.path}|{r.owner}".encode()).hexdigest()[:32]
        event.add("uid", f"{uid}@sclearn")
        event.add("dtstamp", dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC))
        event.add("dtstart", r.due)
        event.add("dtend", r.due + dt.timedelta(days=1))
        event.add("summary", f"Six-month pledge review: {r.owner}")
        manager = f"{r.line_manager} <{r.line_manager_email}>" if r.line_manager_email \
            else r.line_manager
        event.add("description", "\n".join(x for x in (
            f"Review the Developing and Improving Practice Pledge of {r.owner} ({r.kind}).",
            f"Team: {r.team}" if r.team else "", f"Line manager: {manager}" if manager else "",
            f"File: {r.path}", f"Record it with: sclearn review {r.path}") if x))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
