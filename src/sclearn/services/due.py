"""`sclearn due`: which six-month reviews are overdue or coming up, for line managers.

A review is listed until it is finished (``dates.reviewed`` set): one in progress stays on the
list, in reminders and in calendars, and is overdue once past its date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sclearn.core.completeness import review_due
from sclearn.core.errors import InvalidFileError, Problem
from sclearn.core.pledge import LoadedPledge
from sclearn.core.signoff import review_state
from sclearn.files.discover import find_pledge_files
from sclearn.files.fastparse import FAST
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge

ALARM_DAYS = (14, 1)  # reminders before a review, in days


@dataclass(frozen=True)
class DueReview:
    """One review that is not finished: overdue, due soon, or later."""

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
    review: str = "not-started"  # not-started or in-progress
    uid: str = ""  # the calendar event's identity: the same for the same pledge, wherever

    @property
    def status(self) -> str:
        """ "overdue by N days" or "due in N days", in words; "in progress" where it is."""
        if self.days < 0:
            when = f"overdue by {-self.days} day{'s' if self.days != -1 else ''}"
        elif self.days == 0:
            when = "due today"
        else:
            when = f"due in {self.days} day{'s' if self.days != 1 else ''}"
        return when + (", in progress" if self.review == "in-progress" else "")

    def as_row(self) -> dict[str, str | int]:
        """The review as a row for JSON or CSV."""
        row: dict[str, str | int] = {
            k: v for k, v in asdict(self).items() if k not in ("due", "uid")
        }
        return {"due": self.due.isoformat(), "status": self.status, **row}


def identity(lp: LoadedPledge) -> str:
    """A pledge's identity from its content, not its path: framework, owner kind and name,
    and start date. Stable across `due .`, `due`, relative and absolute paths and moves."""
    p = lp.pledge
    key = "|".join(
        (
            p.framework.id,
            p.owner.kind,
            " ".join(p.owner.name.casefold().split()),
            p.dates.started.isoformat(),
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _same_manager(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def due_reviews(
    paths: Iterable[Path],
    catalogue: Catalogue,
    as_of: dt.date,
    within: int | None,
    manager: str | None = None,
) -> tuple[list[DueReview], list[Problem]]:
    """Unfinished reviews due on or before ``as_of + within`` days (every one when ``within``
    is None), soonest first; only ``manager``'s when given."""
    found: list[DueReview] = []
    problems: list[Problem] = []
    for path in find_pledge_files(paths):
        try:
            lp = load_pledge(path, catalogue, FAST)  # no line is shown for a valid file
        except InvalidFileError as exc:
            problems += exc.problems
            continue
        p = lp.pledge
        state = review_state(p)
        if state == "finished":
            continue
        if manager is not None and not _same_manager(p.line_manager.name, manager):
            continue
        due = review_due(lp)
        days = (due - as_of).days
        if within is None or days <= within:
            found.append(
                DueReview(
                    due,
                    days,
                    p.owner.name,
                    p.owner.kind,
                    p.owner.team,
                    p.owner.agency,
                    p.owner.district,
                    p.line_manager.name,
                    p.line_manager.email,
                    str(path),
                    state,
                    identity(lp),
                )
            )
    found.sort(key=lambda r: (r.due, r.owner))
    return found, problems


def by_manager(reviews: Iterable[DueReview]) -> dict[str, list[DueReview]]:
    """Reviews grouped by line manager (as written first), "" for those without one."""
    groups: dict[str, list[DueReview]] = {}
    names: dict[str, str] = {}
    for r in reviews:
        key = calendar_name(r.line_manager)  # one calendar per file name
        name = names.setdefault(key, r.line_manager.strip())
        groups.setdefault(name, []).append(r)
    return groups


def calendar_name(manager: str) -> str:
    """A calendar's file name for a line manager: ``chris-lee.ics``."""
    slug = re.sub(r"[^a-z0-9]+", "-", manager.casefold()).strip("-")
    return (slug or "no-line-manager") + ".ics"


def calendar(
    reviews: Iterable[DueReview],
    as_of: dt.date,
    alarms: Sequence[int] = ALARM_DAYS,
    title: str = "Six-month pledge reviews",
) -> bytes:
    """An RFC 5545 calendar with one all-day event per review, for any calendar program.

    An overdue review is put on the as-of date, titled "Overdue since ..."; each event has an
    alarm ``alarms`` days before it (an overdue one: on the day)."""
    from icalendar import Alarm, Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", "-//sclearn//Developing and Improving Practice Pledge//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    for r in reviews:
        event = Event()
        # From the pledge's content, so re-importing updates an event instead of duplicating.
        event.add("uid", f"{r.uid}@sclearn")
        event.add("dtstamp", dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC))
        overdue = r.due < as_of
        day = as_of if overdue else r.due
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        what = f"Six-month pledge review: {r.owner}"
        if r.review == "in-progress":
            what += " (in progress)"
        event.add(
            "summary", f"Overdue since {r.due.day} {r.due:%B %Y}: {what}" if overdue else what
        )
        manager = (
            f"{r.line_manager} <{r.line_manager_email}>" if r.line_manager_email else r.line_manager
        )
        event.add(
            "description",
            "\n".join(
                x
                for x in (
                    f"Review the Developing and Improving Practice Pledge of {r.owner} ({r.kind}).",
                    f"Due: {r.due.day} {r.due:%B %Y}"
                    + (" (in progress)" if r.review == "in-progress" else ""),
                    f"Team: {r.team}" if r.team else "",
                    f"Line manager: {manager}" if manager else "",
                    f"File: {r.path}",
                    f"Record it with: sclearn review {r.path}",
                )
                if x
            ),
        )
        if r.line_manager_email:
            attendee = vCalAddress(f"mailto:{r.line_manager_email}")
            if r.line_manager:
                attendee.params["cn"] = vText(r.line_manager)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=False)
        event.add("transp", "TRANSPARENT")
        # An overdue review is reminded of on the day (it is today's event).
        for days in (0,) if overdue else sorted(set(alarms), reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                f"{what}: " + (f"in {days} day{'s' if days != 1 else ''}" if days else "overdue"),
            )
            alarm.add("trigger", dt.timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
