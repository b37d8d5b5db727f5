"""The contract's figures, added up one file summary at a time."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any, TypedDict

from sclearn.core.examples import Selection
from sclearn.core.framework import Framework
from sclearn.core.themes import Themes
from sclearn.core.vocabulary import BALANCE, PROGRESS, VERDICTS
from sclearn.services.collate.summary import Summary


class PointFigures(TypedDict):
    """One framework point's figures, as the JSON output shows them."""

    pledges: int
    good_practice: int
    owners_pledging: int
    progress: dict[str, int]
    signs: dict[str, int]  # verdicts on the signs of success: met, partly, not-yet, too-early


class OverdueReview(TypedDict):
    """One unreviewed file past its review date."""

    owner: str
    kind: str
    team: str
    agency: str
    district: str
    review_due: str
    days_overdue: int


@dataclass
class Figures:
    """The contract's figures for one framework edition (or one group within it)."""

    fw: Framework
    valid: int = 0
    owners: Counter[str] = field(default_factory=Counter)
    stage1: int = 0
    stage2: int = 0
    completed: int = 0
    overdue: int = 0
    due_soon: int = 0
    in_progress: int = 0
    signoff: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    points: dict[str, PointFigures] = field(default_factory=dict)
    point_sources: dict[str, Counter[str]] = field(default_factory=dict)
    reflection: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    extra_points: int = 0
    extra_pledges: int = 0
    # Anonymised collations only: for each figure (its path in ``as_json()``), how many files
    # added to it. A count of items (pledges, evidence) can be large yet come from one owner.
    reach: Counter[tuple[str, ...]] | None = None

    def __post_init__(self) -> None:
        self.owners.update({"individual": 0, "team": 0})
        self.sources.update(dict.fromkeys(self.fw.evidence_sources, 0))
        for pt in self.fw.points:
            self.points[pt.id] = {
                "pledges": 0,
                "good_practice": 0,
                "owners_pledging": 0,
                "progress": dict.fromkeys(PROGRESS, 0),
                "signs": dict.fromkeys(VERDICTS, 0),
            }
            self.point_sources[pt.id] = Counter()

    def add(self, s: Summary, as_of: dt.date) -> None:
        """Add one valid file's summary to the figures."""
        self.valid += 1
        self.owners[s.kind] += 1
        self.stage1 += s.stage1
        self.stage2 += s.stage2
        due = dt.date.fromisoformat(s.review_due)
        self.in_progress += s.in_progress and not s.reviewed
        for stage in s.signed:
            self.signoff[f"stage{stage}"] += 1
        self.signoff["changed_since_signoff"] += s.signoff_changed
        state = ""
        if s.reviewed:
            self.completed += 1
            state = "completed"
        elif due < as_of:
            self.overdue += 1
            state = "overdue"
        elif due <= as_of + dt.timedelta(days=30):
            self.due_soon += 1
            state = "due_within_30_days"
        # Plain loops, not Counter.update: this runs for every file of a warm collation, and
        # update's checks cost more than the adding (the figures are the same, keys in order).
        points, signs = self.points, s.point_signs
        for pid, (pledges, good_practice, progress) in s.points.items():
            figures = points[pid]
            figures["pledges"] += pledges
            figures["good_practice"] += good_practice
            figures["owners_pledging"] += pledges > 0
            if progress:
                figures["progress"][progress] += 1
            if pid in signs:
                into = figures["signs"]
                for verdict, n in signs[pid].items():
                    into[verdict] += n
        sources = self.sources
        for pid, counts in s.point_sources.items():
            mine = self.point_sources[pid]
            for code, n in counts.items():
                mine[code] += n
                sources[code] += n
        for code, n in s.extra_sources.items():
            sources[code] += n
        self.extra_points += s.extra_points
        self.extra_pledges += s.extra_pledges
        for dom, dims in s.reflection.items():
            balances = self.reflection.get(dom)
            if balances is None:
                balances = self.reflection[dom] = {}
            for dim, balance in dims.items():
                counter = balances.get(dim)
                if counter is None:
                    counter = balances[dim] = Counter()
                counter[balance] += 1
        if self.reach is not None:
            self._reach(self.reach, s, state)

    @staticmethod
    def _reach(reach: Counter[tuple[str, ...]], s: Summary, state: str) -> None:
        """Count this file once for every figure it added to (paths as in ``as_json()``)."""
        paths: list[tuple[str, ...]] = [("valid",), ("owners", s.kind)]
        paths += [(f"stage{n}_complete",) for n in (1, 2) if (s.stage1, s.stage2)[n - 1]]
        if state:
            paths.append(("reviews", state))
        if s.in_progress and not s.reviewed:
            paths.append(("reviews", "in_progress"))
        paths += [("signoff", f"stage{stage}") for stage in s.signed]
        if s.signoff_changed:
            paths.append(("signoff", "changed_since_signoff"))
        for pid, (pledges, good_practice, progress) in s.points.items():
            if pledges:
                paths += [("points", pid, "pledges"), ("points", pid, "owners_pledging")]
            if good_practice:
                paths.append(("points", pid, "good_practice"))
            if progress:
                paths.append(("points", pid, "progress", progress))
            paths += [
                ("points", pid, "signs", v) for v, n in s.point_signs.get(pid, {}).items() if n
            ]
        codes = {code for code, n in s.extra_sources.items() if n}
        for pid, counts in s.point_sources.items():
            for code, n in counts.items():
                if n:
                    paths.append(("point_evidence_sources", pid, code))
                    codes.add(code)
        paths += [("evidence_sources", code) for code in codes]
        if s.extra_points:
            paths.append(("extra_points", "count"))
        if s.extra_pledges:
            paths.append(("extra_points", "pledges"))
        for dom, dims in s.reflection.items():
            paths += [("reflection", dom, dim, balance) for dim, balance in dims.items()]
        reach.update(paths)

    def as_json(self) -> dict[str, Any]:
        """These figures in the shape of the data contract's collation JSON."""
        return {
            "valid": self.valid,
            "owners": dict(self.owners),
            "stage1_complete": self.stage1,
            "stage2_complete": self.stage2,
            "reviews": {
                "completed": self.completed,
                "overdue": self.overdue,
                "due_within_30_days": self.due_soon,
                "in_progress": self.in_progress,
            },
            "signoff": {k: self.signoff[k] for k in ("stage1", "stage2", "changed_since_signoff")},
            "points": self.points,
            "evidence_sources": dict(self.sources),
            "point_evidence_sources": {pid: dict(c) for pid, c in self.point_sources.items()},
            "self_report_only": self.self_report_only(),
            "extra_points": {"count": self.extra_points, "pledges": self.extra_pledges},
            "reflection": {
                dom: {dim: {b: c[b] for b in BALANCE} for dim, c in dims.items()}
                for dom, dims in self.reflection.items()
            },
        }

    def self_report_only(self) -> list[str]:
        """Points whose evidence, where there is any, is all self report (the first code)."""
        own = next(iter(self.fw.evidence_sources))
        return [
            pid for pid, c in self.point_sources.items() if sum(c.values()) and set(+c) == {own}
        ]


@dataclass
class Edition:
    """Everything gathered for one framework edition."""

    fw: Framework
    detail: bool
    table: bool = True  # whether the item table (CSV, workbook) is wanted
    reach: bool = False  # whether figures count the files behind them (anonymised)
    figures: Figures = field(init=False)
    groups: dict[str, Figures] = field(default_factory=dict)
    # What the summary reports show, and no more: a few examples and the themes, with counts.
    good_practice: dict[str, Selection] = field(default_factory=dict)
    helps: Themes = field(init=False)
    hinders: Themes = field(init=False)
    signs: dict[str, Themes] = field(default_factory=dict)
    evidence: dict[str, Selection] = field(default_factory=dict)
    overdue: list[OverdueReview] = field(default_factory=list)
    rows: IO[str] | None = None
    titles: dict[str, str] = field(init=False)  # point id: title

    def new_figures(self) -> Figures:
        """Empty figures for this edition (or one group of it)."""
        return Figures(self.fw, reach=Counter() if self.reach else None)

    def new_themes(self, cap: int | None = None) -> Themes:
        """Empty themes (keeping ``cap`` wordings, or Themes' default), counting who cited
        each when a theme's count must not describe fewer than K owners."""
        owners: dict[str, set[str]] | None = {} if self.reach else None
        return Themes(owners=owners) if cap is None else Themes(cap=cap, owners=owners)

    def __post_init__(self) -> None:
        self.figures = self.new_figures()
        self.helps, self.hinders = self.new_themes(), self.new_themes()
        self.titles = {p.id: p.title for p in self.fw.points}
        if self.detail and self.table:
            # Closed by Collation.close(); rows can outgrow memory at county scale.
            self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
