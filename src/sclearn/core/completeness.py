"""Completeness of a pledge file, exactly as the format contract defines it."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sclearn.core.errors import Problem, kind_words, place
from sclearn.core.pledge import CONTACT_FIELDS, LoadedPledge, PointEntry
from sclearn.core.signoff import ReviewState, SignOffCheck, check_signoffs, describe_part
from sclearn.core.signoff import review_state as _review_state
from sclearn.core.walk import entries, extra_entries

Stage = Literal["1", "2", "auto"]


@dataclass
class FileReport:
    """What `sclearn check` says of one file."""

    path: Path
    status: Literal["complete", "incomplete", "invalid"]
    stage: int | None = None  # the stage checked
    stage1_complete: bool = False
    stage2_complete: bool = False
    problems: list[Problem] = field(default_factory=list)
    loaded: LoadedPledge | None = None
    # False when the file itself could not be read (missing, binary, wrong encoding, no
    # permission), as against a file that was read and holds a mistake.
    readable: bool = True
    review: ReviewState | None = None  # not-started, in-progress or finished
    signoffs: list[SignOffCheck] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that must be fixed."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth a look."""
        return [p for p in self.problems if p.severity == "warning"]

    def as_json(self) -> dict[str, Any]:
        """The report as `check --format json` writes it."""
        pledge = self.loaded.pledge if self.loaded else None
        return {
            "path": str(self.path),
            "status": self.status,
            "stage": self.stage,
            "stage1_complete": self.stage1_complete,
            "stage2_complete": self.stage2_complete,
            "framework": self.loaded.framework.ref if self.loaded else None,
            "owner": pledge.owner.name if pledge else None,
            "review_due": review_due(self.loaded).isoformat() if self.loaded else None,
            "review": self.review,
            "signoff": {
                f"stage{c.stage}": {
                    "by": c.signoff.by,
                    "role": c.signoff.role,
                    "on": c.signoff.on.isoformat(),
                    "changed": c.changed,
                    "what": c.what,
                }
                for c in self.signoffs
            },
            "problems": [
                {
                    "severity": p.severity,
                    "kind": kind_words(p),
                    "line": p.line,
                    "column": p.column,
                    "point": p.point,
                    "where": place(p.loc, p.point) or None,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in self.problems
            ],
        }


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month, months later; the month's last day where it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_due(lp: LoadedPledge) -> dt.date:
    """The six-month review date: as written, or the start plus the framework's months."""
    d = lp.pledge.dates
    return d.review_due or add_months(d.started, lp.framework.review_after_months)


def _has(items: list[str]) -> bool:
    return any(map(str.strip, items))  # map, not a generator: it runs 70 times a file


def stage1_problems(lp: LoadedPledge) -> list[Problem]:
    """What stops stage 1 being complete, and what is worth a look, as the contract defines it."""
    p, fw, path = lp.pledge, lp.framework, lp.path
    out: list[Problem] = []

    def add(
        loc: tuple[str | int, ...],
        msg: str,
        hint: str | None = None,
        point: str | None = None,
        severity: str = "error",
    ) -> None:
        line, col = lp.where(*loc)
        out.append(
            Problem(msg, path, line, col, point=point, hint=hint, severity=severity, loc=loc)
        )

    if not p.owner.name.strip():
        add(("owner", "name"), "the owner's name is empty", "write your name, or your team's name")
    if not p.owner.has_contact:
        add(
            ("owner",),
            "no contact detail is given",
            "fill in at least one of "
            + ", ".join(CONTACT_FIELDS[:-1])
            + " or "
            + CONTACT_FIELDS[-1],
        )

    def columns(loc: tuple[str | int, ...], e: PointEntry, label: str) -> None:
        if not _has(e.pledges):
            add(
                (*loc, "pledges"),
                "no pledge yet",
                "add a line under pledges:, starting '- ' ('I/we pledge to...'); or, if you "
                "make no pledge here, say why under skip:",
                label,
            )
        if not _has(e.signs_of_success):
            add(
                (*loc, "signs_of_success"),
                "no sign of success yet",
                "add a line under signs_of_success:, starting '- ' ('I/we will know that "
                "things are improving when...')",
                label,
            )
        for name, what in (
            ("good_practice", "no example of current good practice"),
            ("helps", "no factor that will help"),
            ("hinders", "no factor that may hinder"),
        ):
            if not _has(getattr(e, name)):
                add((*loc, name), what, None, label, "warning")

    for pt in fw.points:
        label = fw.point_label(pt.id)
        entry = p.points.get(pt.id)
        if entry is None:
            add(
                ("points", pt.id) if pt.id in p.points else ("points",),
                f"no entry for point {pt.id}",
                "add the point (`sclearn new` writes every point ready to fill in)",
                label,
            )
        elif not entry.skip.strip():
            columns(("points", pt.id), entry, label)
    for ref in extra_entries(p):
        if not getattr(ref.entry, "finding", "").strip():
            add(
                (*ref.loc, "finding"),
                "the finding is empty",
                "say which finding or lesson this extra point is about",
                ref.label,
            )
        columns(ref.loc, ref.entry, ref.label)
    return out


def stage2_problems(lp: LoadedPledge) -> list[Problem]:
    """What stops stage 2 (the review) being complete, as the contract defines it."""
    p, fw, path = lp.pledge, lp.framework, lp.path
    out: list[Problem] = []

    def add(
        loc: tuple[str | int, ...],
        msg: str,
        hint: str | None,
        point: str | None,
        severity: str = "error",
    ) -> None:
        line, col = lp.where(*loc)
        out.append(
            Problem(msg, path, line, col, point=point, hint=hint, severity=severity, loc=loc)
        )

    if p.dates.reviewed is None and _review_state(p) == "in-progress":
        started = p.dates.review_started
        add(
            ("dates", "review_started") if started else ("dates",),
            "the review is in progress"
            + (f" (started {started:%d %B %Y})" if started else "")
            + ", not finished",
            f"finish the points below, or run `sclearn review {path.name} --finished` when the "
            "review is done",
            None,
        )
    elif p.dates.reviewed is None:
        add(
            ("dates", "reviewed"),
            "the six-month review date is not set",
            "run sclearn review, or write the date of the review under dates:, like "
            "reviewed: 2027-05-26 (year-month-day)",
            None,
        )
    for ref in entries(p, fw):
        loc, entry, label = ref.loc, ref.entry, ref.label
        if not entry.has_pledges:
            continue
        review = entry.review
        if review is None:
            add(
                loc,
                "no six-month review recorded",
                "run this command, or add a review: section by hand:\n  sclearn review "
                + shlex.quote(str(path)),
                label,
            )
            continue
        if review.progress is None:
            add(
                (*loc, "review", "progress"),
                "no progress recorded",
                "set progress: positive-change, no-change or deterioration",
                label,
            )
        if not review.evidence:
            add(
                (*loc, "review", "evidence"),
                "no evidence recorded",
                "add at least one evidence item with its source ("
                + ", ".join(fw.evidence_sources)
                + ")",
                label,
            )
        if _has(entry.signs_of_success) and not review.signs:
            add(
                (*loc, "review"),
                "no verdict on the anticipated signs of success",
                f"add signs: with one of met, partly, not-yet or too-early per sign "
                f"(`sclearn review {path.name} --point {ref.key} --signs ...`)",
                label,
                "warning",
            )
    return out


Privacy = Literal["off", "warn", "strict"]


def signoff_problems(
    lp: LoadedPledge, checks: Sequence[SignOffCheck], require: Sequence[int] = ()
) -> list[Problem]:
    """A sign-off whose content changed since (a warning; an error where sign-off is
    required), and a required sign-off that is missing."""
    out: list[Problem] = []
    fw = lp.framework

    def label(key: str) -> str:
        if key.startswith("extra-"):
            return f"extra point {key[6:]}"
        return fw.point_label(key) if any(pt.id == key for pt in fw.points) else key

    done = {c.stage for c in checks}
    for c in checks:
        if not c.changed:
            continue
        what = [describe_part(part, label) for part in c.what]
        line, col = lp.where("signoff", f"stage{c.stage}")
        out.append(
            Problem(
                f"stage {c.stage} changed since {c.said}"
                + (": " + "; ".join(what) if what else ""),
                lp.path,
                line,
                col,
                hint=f"agree the change, then sign it off again (`sclearn signoff {lp.path.name} "
                f"--stage {c.stage} --by NAME`)",
                severity="error" if c.stage in require else "warning",
                loc=("signoff", f"stage{c.stage}"),
            )
        )
    for stage in require:
        if stage not in done:
            line, col = lp.where("signoff", f"stage{stage}")
            out.append(
                Problem(
                    f"stage {stage} is not signed off (the folder settings require it)",
                    lp.path,
                    line,
                    col,
                    hint=f"agree it with the line manager, then run `sclearn signoff "
                    f"{lp.path.name} --stage {stage} --by NAME`",
                    loc=("signoff", f"stage{stage}"),
                )
            )
    return out


def check_loaded(
    lp: LoadedPledge,
    stage: Stage = "auto",
    as_of: dt.date | None = None,
    *,
    privacy: Privacy = "off",
    case_patterns: Sequence[re.Pattern[str]] = (),
    require_signoff: Sequence[int] = (),
) -> FileReport:
    """Check a loaded pledge for the stage asked ("auto": 2 once the review has started).

    With ``privacy`` other than "off", free text is also checked for personal data. A stage
    in ``require_signoff`` is complete only when signed off and unchanged since."""
    as_of = as_of or dt.date.today()
    state = _review_state(lp.pledge)
    checks = check_signoffs(lp.pledge)
    signed = signoff_problems(lp, checks, require_signoff)
    s1 = stage1_problems(lp) + [x for x in signed if x.loc == ("signoff", "stage1")]
    s2 = stage2_problems(lp) + [x for x in signed if x.loc == ("signoff", "stage2")]
    stage1 = not [x for x in s1 if x.severity == "error"]
    stage2 = stage1 and not [x for x in s2 if x.severity == "error"]
    wanted = 2 if stage == "2" or (stage == "auto" and state != "not-started") else 1
    problems = s1 + (s2 if wanted == 2 else [])
    if privacy != "off":
        from sclearn.core.privacy import scan

        found = scan(lp, case_patterns, severity="error" if privacy == "strict" else "warning")
        problems += found
        if privacy == "strict" and found:
            stage1 = stage2 = False
    due = review_due(lp)
    if lp.pledge.dates.reviewed is None and due < as_of:
        line, col = lp.where("dates", "review_due")
        problems.append(
            Problem(
                f"the six-month review was due on {due:%d %B %Y}"
                + (" and is still in progress" if state == "in-progress" else ""),
                lp.path,
                line,
                col,
                hint="arrange it with your line manager",
                severity="warning",
            )
        )
    complete = stage2 if wanted == 2 else stage1
    problems.sort(key=lambda x: (x.line or 0, x.column or 0))
    return FileReport(
        lp.path,
        "complete" if complete else "incomplete",
        wanted,
        stage1,
        stage2,
        problems,
        lp,
        review=state,
        signoffs=checks,
    )
