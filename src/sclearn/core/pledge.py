"""The pledge file (format 1): its model, and what only the framework can tell of it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from sclearn.core.errors import Problem
from sclearn.core.framework import Framework
from sclearn.core.source import Locations, SourceText
from sclearn.core.validation import did_you_mean
from sclearn.core.vocabulary import BALANCE as BALANCE
from sclearn.core.vocabulary import LIST_FIELDS as LIST_FIELDS
from sclearn.core.vocabulary import PROGRESS as PROGRESS
from sclearn.core.vocabulary import VERDICTS as VERDICTS
from sclearn.core.walk import Loc, entries

FORMAT = 1

Progress = Literal["positive-change", "no-change", "deterioration"]
Balance = Literal["towards-safety", "balanced", "towards-danger"]
Verdict = Literal["met", "partly", "not-yet", "too-early"]


def _empty_to(default: Any) -> Any:
    # A key left empty by hand (`notes:`) means "nothing yet", not an error.
    return BeforeValidator(lambda v: default() if v is None else v)


def _new(factory: Callable[[], Any]) -> Any:
    # A fresh default per model, made rather than deep-copied from a shared one (pydantic
    # copies a mutable default each time it is used: about 14 times a file); the editor
    # schema still shows the default.
    default = factory()
    shown = default.model_dump() if isinstance(default, BaseModel) else default
    return Field(default_factory=factory, json_schema_extra={"default": shown})


OptText = Annotated[StrictStr, _empty_to(str)]
TextList = Annotated[list[StrictStr], _empty_to(list)]


def _may_have_local(data: dict[Any, Any]) -> bool:
    """Whether any key may start with 'x-' (a key holding a line break may say so wrongly)."""
    try:
        keys = "\n".join(data)
    except TypeError:  # a key that is not text
        keys = "\n".join(map(str, data))
    return keys.startswith("x-") or "\nx-" in keys


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_local_extensions(cls, data: Any) -> Any:
        # `x-` keys are the user's own: kept in the file (never rewritten from the model), and
        # never an error. This runs for every mapping of a file (about 30 of them), and most
        # hold no `x-` key: those are given back as they are, found so by one C-speed join.
        if isinstance(data, dict) and _may_have_local(data):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data


class FrameworkRef(_Model):
    """The framework edition a pledge is made against."""

    id: StrictStr
    version: StrictStr


class Owner(_Model):
    """Who the pledge belongs to: an individual or a team, and how to reach them."""

    kind: Literal["individual", "team"]
    name: OptText = ""
    members: TextList = _new(list)
    role: OptText = ""
    agency: OptText = ""
    team: OptText = ""
    district: OptText = ""
    work_base: OptText = ""
    phone: OptText = ""
    email: OptText = ""

    @property
    def has_contact(self) -> bool:
        """Whether at least one contact detail is given."""
        return any(getattr(self, name).strip() for name in CONTACT_FIELDS)


# The owner's details, in the file's order, and those that count as a way to reach them.
OWNER_FIELDS = tuple(Owner.model_fields)
CONTACT_FIELDS = ("work_base", "phone", "email")


class LineManager(_Model):
    """The line manager who takes part in the six-month review."""

    name: OptText = ""
    email: OptText = ""


_YMD = re.compile(r"\d{4}-\d{2}-\d{2}")


def _year_month_day(value: Any) -> Any:
    # pydantic alone would also take 0 or 1764115200 (seconds since 1970) and "2026-11-26T00:00".
    if isinstance(value, dt.date) or (isinstance(value, str) and _YMD.fullmatch(value)):
        return value
    raise PydanticCustomError("date_format", "not a date written as year-month-day")


Day = Annotated[dt.date, BeforeValidator(_year_month_day)]


class Dates(_Model):
    """When the pledge started, when its review is due, and when it was reviewed."""

    started: Day
    review_due: Day | None = None
    review_started: Day | None = None  # the first review answer recorded
    reviewed: Day | None = None  # the review finished


class Evidence(_Model):
    """One piece of evidence of improved practice, with its source code."""

    text: Annotated[StrictStr, Field(min_length=1)]
    source: StrictStr
    date: Day | None = None
    link: OptText = ""  # relative to the pledge file, or an https address


class Review(_Model):
    """Stage 2 for one point: evidence, progress and notes."""

    evidence: Annotated[list[Evidence], _empty_to(list)] = _new(list)
    progress: Progress | None = None
    signs: Annotated[list[Verdict], _empty_to(list)] = _new(
        list
    )  # one per sign of success, in order
    notes: OptText = ""


class PointEntry(_Model):
    """Stage 1 (and, later, stage 2) for one point of the framework."""

    discussion: OptText = ""
    good_practice: TextList = _new(list)
    pledges: TextList = _new(list)
    helps: TextList = _new(list)
    hinders: TextList = _new(list)
    signs_of_success: TextList = _new(list)
    skip: OptText = ""
    review: Review | None = None

    @property
    def has_pledges(self) -> bool:
        """Whether any pledge has been written."""
        return any(p.strip() for p in self.pledges)


class ExtraPoint(PointEntry):
    """A finding of the owner's own, with the same columns as a point."""

    finding: OptText = ""


class ReflectionEntry(_Model):
    """Where one dimension of Appendix 2 stands, and why."""

    balance: Balance | None = None
    notes: OptText = ""


_DIGEST = r"^sha256:[0-9a-f]{64}$"


class SignOff(_Model):
    """Who agreed a stage with the owner, when, and a digest of what they agreed."""

    by: Annotated[StrictStr, Field(min_length=1)]
    role: OptText = ""
    on: Day
    digest: Annotated[StrictStr, Field(pattern=_DIGEST)]
    # sclearn's own short fingerprints of each part, to name what changed (see core.signoff).
    fields: SkipJsonSchema[dict[str, StrictStr]] = _new(dict)

    @model_validator(mode="before")
    @classmethod
    def _drop_local_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict):
            kept = {k: v for k, v in data.items() if not str(k).startswith("x-")}
            if isinstance(data.get("x-fields"), dict):
                kept["fields"] = data["x-fields"]
            return kept
        return data


class SignOffs(_Model):
    """The sign-off of each stage, where there is one."""

    stage1: SignOff | None = None
    stage2: SignOff | None = None


class Pledge(_Model):
    """A whole pledge file (format 1)."""

    sclearn: int
    framework: FrameworkRef
    owner: Owner
    line_manager: LineManager = _new(LineManager)
    dates: Dates
    signoff: SignOffs | None = None
    points: Annotated[dict[str, PointEntry | None], _empty_to(dict)] = _new(dict)
    extra_points: Annotated[list[ExtraPoint], _empty_to(list)] = _new(list)
    reflection: Annotated[dict[str, dict[str, ReflectionEntry | None] | None], _empty_to(dict)] = (
        _new(dict)
    )

    @field_validator("sclearn")
    @classmethod
    def _known_format(cls, v: int) -> int:
        if v != FORMAT:
            raise ValueError(f"this is a format {v} file; this sclearn reads format {FORMAT}")
        return v

    def entry(self, point_id: str) -> PointEntry | None:
        """The entry for a framework point, if the file has one."""
        return self.points.get(point_id)


@dataclass
class LoadedPledge:
    """A validated pledge file with what is needed to locate its parts and write it back."""

    path: Path
    pledge: Pledge
    framework: Framework
    locs: Locations
    source: SourceText

    def where(self, *loc: str | int) -> tuple[int | None, int | None]:
        """The line and column of a place in the file, or of the nearest enclosing one."""
        return self.locs.find(loc)


def framework_problems(p: Pledge, fw: Framework, locs: Locations, path: Path) -> list[Problem]:
    """What only the framework edition can tell: point ids, evidence codes, dimensions."""
    problems: list[Problem] = []

    def add(loc: Loc, msg: str, hint: str | None = None, point: str | None = None) -> None:
        line, col = locs.find(loc)
        problems.append(Problem(msg, path, line, col, point=point, hint=hint, loc=loc))

    ids = [pt.id for pt in fw.points]
    codes = ", ".join(f"{c} ({m})" for c, m in fw.evidence_sources.items())
    for key in p.points:
        if key not in ids:
            add(
                ("points", key),
                f"'{key}' is not a point of {fw.ref}" + did_you_mean(key, ids),
                "the point ids are listed by `sclearn framework show`",
            )
    for ref in entries(p, fw):
        review = ref.entry.review
        if review and review.signs and len(review.signs) != len(ref.entry.signs_of_success):
            n, m = len(review.signs), len(ref.entry.signs_of_success)
            add(
                (*ref.loc, "review", "signs"),
                f"{n} verdict{'s' if n != 1 else ''} given for {m} sign"
                f"{'s' if m != 1 else ''} of success",
                "give one verdict (met, partly, not-yet or too-early) per sign of success, "
                "in the same order",
                ref.label,
            )
        for j, ev in enumerate(ref.entry.review.evidence if ref.entry.review else []):
            if ev.source not in fw.evidence_sources:
                add(
                    (*ref.loc, "review", "evidence", j, "source"),
                    f"'{ev.source}' is not an evidence source"
                    + did_you_mean(ev.source.upper(), fw.evidence_sources),
                    f"use one of {codes}",
                    ref.label,
                )
    domains = {
        d.id: d for d in (fw.professional_dimension.domains if fw.professional_dimension else [])
    }
    for dom, dims in p.reflection.items():
        if dom not in domains:
            add(
                ("reflection", dom),
                f"'{dom}' is not a domain of the professional dimension"
                + did_you_mean(dom, domains),
                f"use one of {', '.join(domains) or '(none in this framework)'}",
            )
            continue
        valid = [x.id for x in domains[dom].dimensions]
        for dim in dims or {}:
            if dim not in valid:
                add(
                    ("reflection", dom, dim),
                    f"'{dim}' is not a dimension of the {dom} domain" + did_you_mean(dim, valid),
                )
    return sorted(problems, key=lambda x: (x.line or 0, x.column or 0))
