"""Frameworks: the points a pledge is made against (the models; loading is in files/).

Nothing here assumes the Derbyshire shape: a board may publish its own file with any number of
areas, points and evidence codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Annotated, Union

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from sclearn.core.errors import UsageError

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Id = Annotated[str, Field(pattern=KEBAB)]
Text = Annotated[StrictStr, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BulletGroup(_Model):
    """A bullet with nested bullets under it."""

    text: Text
    items: list[Bullet]


Bullet = Union[StrictStr, BulletGroup]  # noqa: UP007 - a forward reference needs Union here
BulletGroup.model_rebuild()


class Point(_Model):
    """One of the framework's points: its number, title, key points and additional detail."""

    id: Id
    number: Annotated[int, Field(ge=1)]
    title: Text
    key_points: list[Bullet] = []
    additional_detail: list[Bullet] = []


class Area(_Model):
    """One of the framework's areas, holding its points."""

    id: Id
    number: Annotated[int, Field(ge=1)]
    title: Text
    summary: StrictStr = ""
    points: Annotated[list[Point], Field(min_length=1)]


class Form(_Model):
    """The titles of the form people fill in."""

    title: Text
    name: StrictStr = ""
    details: StrictStr = ""


class Prompts(_Model):
    """The form's column wording, keyed by the pledge field each column fills."""

    finding: Text
    good_practice: Text
    pledges: Text
    helps: Text
    hinders: Text
    signs_of_success: Text
    review: Text
    helps_and_hinders: StrictStr = ""
    extra_points: StrictStr = ""
    extra_points_guidance: StrictStr = ""


class Step(_Model):
    """One numbered step of a stage's guidance."""

    step: Text
    text: Text


class Stage1(_Model):
    """What to do now: the stage 1 guidance."""

    steps: list[Step] = []
    guidance: list[StrictStr] = []


class Stage2(_Model):
    """What to do about six months on: the stage 2 guidance."""

    guidance: list[StrictStr] = []


class Exercise(_Model):
    """The exercise's guidance, stage by stage."""

    introduction: StrictStr = ""
    aims: list[StrictStr] = []
    facilitation: StrictStr = ""
    process: StrictStr = ""
    stage_1: Stage1 = Stage1()
    stage_2: Stage2 = Stage2()
    closing_message: StrictStr = ""


class Table(_Model):
    """The column headings of the framework's table of points."""

    title: StrictStr = ""
    columns: list[StrictStr] = []


class Dimension(_Model):
    """One dimension of the professional dimension, with its considerations."""

    id: Id
    title: Text
    considerations: list[Bullet] = []


class Domain(_Model):
    """A domain of the professional dimension (worker, agency, inter-agency)."""

    id: Id
    title: Text
    dimensions: Annotated[list[Dimension], Field(min_length=1)]


class ProfessionalDimension(_Model):
    """Appendix 2: reflective material on the worker, agency and inter-agency domains."""

    title: Text
    columns: list[StrictStr] = []
    lead: StrictStr = ""
    domains: Annotated[list[Domain], Field(min_length=1)]


EvidenceCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,9}$")]
Version = Annotated[StrictStr, Field(pattern=r"^\d+(\.\d+)*$")]


class Migration(_Model):
    """How the points of an earlier edition map onto this one (for `sclearn migrate`)."""

    renamed: dict[Id, Id] = {}  # old id: new id
    merged: dict[Id, list[Id]] = {}  # new id: the old ids merged into it
    split: dict[Id, list[Id]] = {}  # old id: the new ids it became (its text goes to the first)
    removed: list[Id] = []  # old ids with no successor (their text goes to extra points)
    added: list[Id] = []  # new ids with no predecessor


class Framework(_Model):
    """A published edition of a framework: areas, points, prompts and guidance."""

    id: Id
    version: Version
    title: Text
    publisher: Text
    edition: Text
    review_after_months: Annotated[int, Field(ge=1, le=60)]
    evidence_sources: Annotated[dict[EvidenceCode, Text], Field(min_length=1)]
    form: Form | None = None
    prompts: Prompts
    exercise: Exercise = Exercise()
    table: Table = Table()
    areas: Annotated[list[Area], Field(min_length=1)]
    professional_dimension: ProfessionalDimension | None = None
    migrates_from: dict[Version, Migration] = {}

    @property
    def ref(self) -> str:
        """``id@version``, as files and messages name an edition."""
        return f"{self.id}@{self.version}"

    @cached_property
    def points(self) -> list[Point]:
        """Every point, in the framework's order."""
        return [p for a in self.areas for p in a.points]

    @cached_property
    def _index(self) -> dict[str, Point]:
        """Points by id and by number, for lookups in checks of thousands of files."""
        return {**{str(p.number): p for p in self.points}, **{p.id: p for p in self.points}}

    def area_of(self, point_id: str) -> Area:
        """The area a point belongs to."""
        return next(a for a in self.areas if any(p.id == point_id for p in a.points))

    def point(self, key: str) -> Point:
        """A point by id or by number ("4")."""
        found = self._index.get(key)
        if found is not None:
            return found
        from sclearn.core.validation import did_you_mean

        raise UsageError(
            f"{self.ref} has no point '{key}'" + did_you_mean(key, [p.id for p in self.points]),
            hint="use a point number or id from `sclearn framework show`",
        )

    def point_label(self, point_id: str) -> str:
        """ "point 4 (Assessment)": short enough for a terminal line."""
        label = self._labels.get(point_id)
        if label is None:  # not one of the framework's ids: a number, or a mistake to report
            p = self.point(point_id)
            label = self._labels.get(p.id) or _label(p)
        return label

    @cached_property
    def _labels(self) -> dict[str, str]:
        """Each point's label by id: every check of every file asks for them."""
        return {p.id: _label(p) for p in self.points}


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers, so that 1.10 sorts after 1.9."""
    return tuple(int(x) for x in version.split("."))


def duplicates(fw: Framework) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Ids and numbers that must be unique (pydantic checks each item, not the set)."""

    def dupes(
        items: Iterable[tuple[tuple[str | int, ...], object]], what: str
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        seen: set[object] = set()
        for loc, value in items:
            if value in seen:
                yield loc, f"{what} '{value}' is used twice; each must be different"
            seen.add(value)

    yield from dupes(((("areas", i, "id"), a.id) for i, a in enumerate(fw.areas)), "area id")
    points = [(i, j, p) for i, a in enumerate(fw.areas) for j, p in enumerate(a.points)]
    yield from dupes(((("areas", i, "points", j, "id"), p.id) for i, j, p in points), "point id")
    yield from dupes(
        ((("areas", i, "points", j, "number"), p.number) for i, j, p in points), "point number"
    )
    ids = {p.id for p in fw.points}
    for version, m in fw.migrates_from.items():
        targets = [
            *m.renamed.values(),
            *m.merged,
            *(i for v in m.split.values() for i in v),
            *m.added,
        ]
        for target in targets:
            if target not in ids:
                yield (
                    ("migrates_from", version),
                    f"migration from {version} names point '{target}', which this edition "
                    "does not have",
                )
    if fw.professional_dimension:
        domains = fw.professional_dimension.domains
        yield from dupes(
            ((("professional_dimension", "domains", i, "id"), d.id) for i, d in enumerate(domains)),
            "domain id",
        )
        for i, d in enumerate(domains):
            yield from dupes(
                (
                    (("professional_dimension", "domains", i, "dimensions", j, "id"), x.id)
                    for j, x in enumerate(d.dimensions)
                ),
                "dimension id",
            )


def _label(p: Point) -> str:
    title = p.title.rstrip(" :")
    if len(title) > 40:
        title = title[:40].rsplit(" ", 1)[0] + "…"
    return f"point {p.number} ({title})"
