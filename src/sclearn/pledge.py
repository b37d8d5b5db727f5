"""The pledge file (format 1): its model, and loading one with every problem located."""

from __future__ import annotations

import contextlib
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
from pydantic_core import PydanticCustomError

from sclearn.errors import InvalidFileError, Problem, UsageError
from sclearn.framework import Catalogue, Framework
from sclearn.validation import suggest, validate
from sclearn.yamlio import Locations, SourceText, load_plain, parse_plain, read_source

FORMAT = 1
PROGRESS = ("positive-change", "no-change", "deterioration")
BALANCE = ("towards-safety", "balanced", "towards-danger")
# The list fields of a point, in the form's column order.
LIST_FIELDS = ("good_practice", "pledges", "helps", "hinders", "signs_of_success")

Progress = Literal["positive-change", "no-change", "deterioration"]
Balance = Literal["towards-safety", "balanced", "towards-danger"]


def _empty_to(default: Any) -> Any:
    # A key left empty by hand (`notes:`) means "nothing yet", not an error.
    return BeforeValidator(lambda v: default() if v is None else v)


OptText = Annotated[StrictStr, _empty_to(str)]
TextList = Annotated[list[StrictStr], _empty_to(list)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_local_extensions(cls, data: Any) -> Any:
        # `x-` keys are the user's own: kept in the file (never rewritten from the model), and
        # never an error.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data


class FrameworkRef(_Model):
    id: StrictStr
    version: StrictStr


class Owner(_Model):
    kind: Literal["individual", "team"]
    name: OptText = ""
    members: TextList = []
    role: OptText = ""
    agency: OptText = ""
    team: OptText = ""
    district: OptText = ""
    work_base: OptText = ""
    phone: OptText = ""
    email: OptText = ""

    @property
    def has_contact(self) -> bool:
        return any(x.strip() for x in (self.work_base, self.phone, self.email))


class LineManager(_Model):
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
    started: Day
    review_due: Day | None = None
    reviewed: Day | None = None


class Evidence(_Model):
    text: Annotated[StrictStr, Field(min_length=1)]
    source: StrictStr


class Review(_Model):
    evidence: Annotated[list[Evidence], _empty_to(list)] = []
    progress: Progress | None = None
    notes: OptText = ""


class PointEntry(_Model):
    discussion: OptText = ""
    good_practice: TextList = []
    pledges: TextList = []
    helps: TextList = []
    hinders: TextList = []
    signs_of_success: TextList = []
    skip: OptText = ""
    review: Review | None = None

    @property
    def has_pledges(self) -> bool:
        return any(p.strip() for p in self.pledges)


class ExtraPoint(PointEntry):
    finding: OptText = ""


class ReflectionEntry(_Model):
    balance: Balance | None = None
    notes: OptText = ""


class Pledge(_Model):
    sclearn: int
    framework: FrameworkRef
    owner: Owner
    line_manager: LineManager = LineManager()
    dates: Dates
    points: Annotated[dict[str, PointEntry | None], _empty_to(dict)] = {}
    extra_points: Annotated[list[ExtraPoint], _empty_to(list)] = []
    reflection: Annotated[dict[str, dict[str, ReflectionEntry | None] | None],
                          _empty_to(dict)] = {}

    @field_validator("sclearn")
    @classmethod
    def _known_format(cls, v: int) -> int:
        if v != FORMAT:
            raise ValueError(f"this is a format {v} file; this sclearn reads format {FORMAT}")
        return v

    def entry(self, point_id: str) -> PointEntry | None:
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
        return self.locs.find(loc)


def framework_problems(p: Pledge, fw: Framework, locs: Locations, path: Path) -> list[Problem]:
    """What only the framework edition can tell: point ids, evidence codes, dimensions."""
    problems: list[Problem] = []

    def add(loc: tuple[str | int, ...], msg: str, hint: str | None = None,
            point: str | None = None) -> None:
        line, col = locs.find(loc)
        problems.append(Problem(msg, path, line, col, point=point, hint=hint))

    ids = [pt.id for pt in fw.points]
    codes = ", ".join(f"{c} ({m})" for c, m in fw.evidence_sources.items())
    for key in p.points:
        if key not in ids:
            near = suggest(key, ids)
            add(("points", key), f"'{key}' is not a point of {fw.ref}"
                + (f" — did you mean '{near}'?" if near else ""),
                "the point ids are listed by `sclearn framework show`")
    entries: list[tuple[tuple[str | int, ...], PointEntry, str | None]] = [
        (("points", k), e, fw.point_label(k) if k in ids else None)
        for k, e in p.points.items() if e is not None]
    entries += [(("extra_points", i), e, f"extra point {i + 1}")
                for i, e in enumerate(p.extra_points)]
    for loc, entry, label in entries:
        if entry.review is None:
            continue
        for j, ev in enumerate(entry.review.evidence):
            if ev.source not in fw.evidence_sources:
                near = suggest(ev.source.upper(), list(fw.evidence_sources))
                add((*loc, "review", "evidence", j, "source"),
                    f"'{ev.source}' is not an evidence source"
                    + (f" — did you mean '{near}'?" if near else ""), f"use one of {codes}",
                    label)
    domains = {d.id: d for d in (fw.professional_dimension.domains
                                 if fw.professional_dimension else [])}
    for dom, dims in p.reflection.items():
        if dom not in domains:
            near = suggest(dom, list(domains))
            add(("reflection", dom), f"'{dom}' is not a domain of the professional dimension"
                + (f" — did you mean '{near}'?" if near else ""),
                f"use one of {', '.join(domains) or '(none in this framework)'}")
            continue
        valid = [x.id for x in domains[dom].dimensions]
        for dim in dims or {}:
            if dim not in valid:
                near = suggest(dim, valid)
                add(("reflection", dom, dim), f"'{dim}' is not a dimension of the {dom} domain"
                    + (f" — did you mean '{near}'?" if near else ""))
    return sorted(problems, key=lambda x: (x.line or 0, x.column or 0))


def _framework_of(p: Pledge, catalogue: Catalogue, locs: Locations, path: Path) -> Framework:
    try:
        return catalogue.get(p.framework.id, p.framework.version)
    except Exception as exc:
        line, col = locs.find(("framework",))
        raise InvalidFileError([Problem(
            f"uses framework {p.framework.id}@{p.framework.version}, which is not available",
            path, line, col,
            hint="give the board's framework file with --framework PATH")]) from exc


def _labeller(data: Any, catalogue: Catalogue) -> Callable[[tuple[str | int, ...]], str | None]:
    """Names the point a location belongs to, from the framework the raw data names."""
    fw: Framework | None = None
    ref = data.get("framework") if isinstance(data, dict) else None
    if isinstance(ref, dict):
        with contextlib.suppress(UsageError):  # an unknown framework: no labels, that's all
            fw = catalogue.get(str(ref.get("id")), str(ref.get("version")))
    ids = {p.id for p in fw.points} if fw else set()

    def label(loc: tuple[str | int, ...]) -> str | None:
        if len(loc) >= 2 and loc[0] == "points" and fw is not None and loc[1] in ids:
            return fw.point_label(str(loc[1]))
        if len(loc) >= 2 and loc[0] == "extra_points" and isinstance(loc[1], int):
            return f"extra point {loc[1] + 1}"
        return None

    return label


def parse_pledge(src: SourceText, catalogue: Catalogue) -> LoadedPledge:
    data, locs = parse_plain(src)
    model = validate(Pledge, data, locs, src.path, "a pledge file", _labeller(data, catalogue))
    assert isinstance(model, Pledge)
    fw = _framework_of(model, catalogue, locs, src.path)
    problems = framework_problems(model, fw, locs, src.path)
    if problems:
        raise InvalidFileError(problems)
    return LoadedPledge(src.path, model, fw, locs, src)


def load_pledge(path: Path, catalogue: Catalogue) -> LoadedPledge:
    return parse_pledge(read_source(path), catalogue)


__all__ = ["LoadedPledge", "Pledge", "load_plain", "load_pledge", "parse_pledge"]
