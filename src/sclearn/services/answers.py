"""A whole supervision in one call: `sclearn review FILE --answers ANSWERS.yaml`.

An answers file lists the points discussed, each with what `review --point` takes::

    date: 2027-05-28          # optional: the supervision date (--date wins)
    finished: true            # optional: the review is finished, whatever is left
    points:
      - point: 4              # a number, an id, or extra-N
        evidence:
          - {text: "Audit: 12 of 12 chronologies updated", source: MR,
             date: 2027-05-01, link: evidence/audit-may.pdf}    # date and link optional
        progress: positive-change
        signs: [met, partly]  # one verdict per sign of success, in the same order
        notes: "Keep it up"

It is a list, not a mapping keyed by point, so a point cannot silently replace another: a point
named twice is an error that names both lines. Everything is checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from pydantic import Field, StrictStr

from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.pledge import Day, LoadedPledge, OptText, Progress, Verdict, _Model
from sclearn.core.validation import validate
from sclearn.files.decode import read_source
from sclearn.files.parser import CAREFUL
from sclearn.services.review import Entry, EvidenceIn, Target, parse_target


class _Evidence(_Model):
    text: Annotated[StrictStr, Field(min_length=1)]
    source: StrictStr
    date: Day | None = None
    link: OptText = ""


class _Answer(_Model):
    point: StrictStr
    evidence: list[_Evidence] = Field(default_factory=list)
    progress: Progress | None = None
    signs: list[Verdict] | None = None
    notes: OptText = ""


class _Answers(_Model):
    date: Day | None = None
    finished: bool = False
    points: list[_Answer] = Field(default_factory=list)


class Answers:
    """An answers file, checked against the pledge it is for."""

    def __init__(self, path: Path, lp: LoadedPledge) -> None:
        src = read_source(path)
        data, locs = CAREFUL.parse(src)
        model = validate(_Answers, data, locs, path, "an answers file")
        assert isinstance(model, _Answers)
        self.date: dt.date | None = model.date
        self.finished = model.finished
        self.answers: list[tuple[Target, Entry]] = []
        seen: dict[Target, int | None] = {}
        problems = []
        for i, a in enumerate(model.points):
            line = locs.find(("points", i, "point"))[0]
            try:
                target = parse_target(lp, a.point.strip())
            except UsageError as exc:  # an unknown point: said with its line
                problems.append(
                    Problem(exc.message, path, line, hint="use a point number, id, or extra-N")
                )
                continue
            if target in seen:
                problems.append(
                    Problem(
                        f"point {a.point} is named twice (first on line {seen[target]})",
                        path,
                        line,
                        hint="put everything for one point under one '- point:' entry",
                    )
                )
                continue
            seen[target] = line
            self.answers.append(
                (
                    target,
                    Entry(
                        [EvidenceIn(e.text, e.source.upper(), e.date, e.link) for e in a.evidence],
                        a.progress,
                        a.notes,
                        list(a.signs) if a.signs is not None else None,
                    ),
                )
            )
        if problems:
            raise InvalidFileError(problems)
        if not self.answers and not self.finished:
            raise InvalidFileError(
                [Problem("names no point", path, 1, hint="list the points under 'points:'")]
            )
