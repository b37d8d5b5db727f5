"""`sclearn status`: where every pledge stands, on a board per line manager (or team, agency,
district), with counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sclearn.core.completeness import check_loaded, review_due
from sclearn.core.errors import InvalidFileError, Problem
from sclearn.core.pledge import LoadedPledge
from sclearn.files.discover import find_pledge_files
from sclearn.files.fastparse import FAST_UNLOCATED
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge

# Every state, in the order a pledge moves through them ("changed since sign-off" last: it can
# happen at any point after a sign-off).
STATES = (
    "draft",
    "stage 1 complete",
    "stage 1 signed off",
    "review due",
    "review in progress",
    "overdue",
    "reviewed",
    "stage 2 signed off",
    "changed since sign-off",
)
GROUPINGS = ("manager", "team", "agency", "district")
Grouping = Literal["manager", "team", "agency", "district"]
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class PledgeStatus:
    """One pledge on the board."""

    owner: str
    kind: str
    group: str
    state: str
    review_due: dt.date
    reviewed: dt.date | None
    path: str

    def as_row(self) -> dict[str, str]:
        """The pledge as a row for JSON or CSV."""
        return {
            "group": self.group,
            "owner": self.owner,
            "kind": self.kind,
            "state": self.state,
            "review_due": self.review_due.isoformat(),
            "reviewed": self.reviewed.isoformat() if self.reviewed else "",
            "path": self.path,
        }


def state_of(lp: LoadedPledge, as_of: dt.date, require_signoff: Iterable[int] = ()) -> str:
    """The one state that says most about a pledge today (see ``STATES``)."""
    report = check_loaded(lp, "auto", as_of, require_signoff=tuple(require_signoff))
    signed = {c.stage for c in report.signoffs}
    if any(c.changed for c in report.signoffs):
        return "changed since sign-off"
    if report.review == "finished":
        return "stage 2 signed off" if 2 in signed else "reviewed"
    due = review_due(lp)
    if due < as_of:
        return "overdue"
    if report.review == "in-progress":
        return "review in progress"
    if (due - as_of).days <= DUE_SOON_DAYS:
        return "review due"
    if 1 in signed:
        return "stage 1 signed off"
    return "stage 1 complete" if report.stage1_complete else "draft"


def _group(lp: LoadedPledge, by: Grouping) -> str:
    p = lp.pledge
    value = {
        "manager": p.line_manager.name,
        "team": p.owner.team,
        "agency": p.owner.agency,
        "district": p.owner.district,
    }[by]
    return " ".join(value.split())


@dataclass
class Board:
    """Every pledge found, grouped, with counts."""

    by: Grouping
    as_of: dt.date
    groups: dict[str, list[PledgeStatus]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self, items: Iterable[PledgeStatus] | None = None) -> dict[str, int]:
        """How many pledges are in each state (every state named, zeros too)."""
        found = Counter(s.state for s in (items if items is not None else self.all()))
        return {state: found[state] for state in STATES}

    def all(self) -> list[PledgeStatus]:
        """Every pledge on the board."""
        return [s for group in self.groups.values() for s in group]

    def as_json(self) -> dict[str, object]:
        """The board as `status --format json` writes it."""
        return {
            "as_of": self.as_of.isoformat(),
            "by": self.by,
            "counts": self.counts(),
            "groups": [
                {"name": name, "counts": self.counts(items), "pledges": [s.as_row() for s in items]}
                for name, items in self.groups.items()
            ],
            "invalid": [
                {"path": str(p.path), "line": p.line, "error": p.message} for p in self.problems
            ],
        }


def board(
    paths: Iterable[Path],
    catalogue: Catalogue,
    as_of: dt.date,
    by: Grouping = "manager",
    require_signoff: Iterable[int] = (),
) -> Board:
    """Read every pledge below ``paths`` into a board grouped ``by``; groups by name, each
    group's pledges by state then owner."""
    result = Board(by, as_of)
    rows: list[PledgeStatus] = []
    for path in find_pledge_files(paths):
        try:
            # The board names no line of a valid file: none are looked for.
            lp = load_pledge(path, catalogue, FAST_UNLOCATED)
        except InvalidFileError as exc:
            result.problems += exc.problems[:1]
            continue
        p = lp.pledge
        rows.append(
            PledgeStatus(
                p.owner.name,
                p.owner.kind,
                _group(lp, by),
                state_of(lp, as_of, require_signoff),
                review_due(lp),
                p.dates.reviewed,
                str(path),
            )
        )
    order = {s: i for i, s in enumerate(STATES)}
    for row in sorted(
        rows, key=lambda r: (r.group.casefold() or "\uffff", order[r.state], r.owner.casefold())
    ):
        result.groups.setdefault(row.group, []).append(row)
    return result
