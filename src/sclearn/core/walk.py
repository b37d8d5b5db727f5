"""The one walk over a pledge's framework points and extra points, in the form's order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pledge model uses the walk, so it is imported for types only
    from sclearn.core.framework import Framework, Point
    from sclearn.core.pledge import Pledge, PointEntry

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class EntryRef:
    """One filled-in row of the form: a framework point's entry or an extra point."""

    loc: Loc  # ("points", "assessment") or ("extra_points", 0)
    label: str  # "point 4 (Assessment)" or "extra point 1"
    entry: PointEntry
    point: Point | None  # the framework point; None for an extra point

    @property
    def is_extra(self) -> bool:
        """Whether this is one of the owner's own extra points."""
        return self.point is None

    @property
    def key(self) -> str:
        """How commands name it: the point id, or ``extra-N``."""
        return str(self.loc[1]) if self.point else f"extra-{int(self.loc[1]) + 1}"


def framework_entries(pledge: Pledge, fw: Framework) -> Iterator[EntryRef]:
    """Entries of the framework's points that the file fills in, in the framework's order."""
    for pt in fw.points:
        entry = pledge.points.get(pt.id)
        if entry is not None:
            yield EntryRef(("points", pt.id), fw.point_label(pt.id), entry, pt)


def extra_entries(pledge: Pledge) -> Iterator[EntryRef]:
    """The owner's own extra points, in file order."""
    for i, extra in enumerate(pledge.extra_points):
        yield EntryRef(("extra_points", i), f"extra point {i + 1}", extra, None)


def entries(pledge: Pledge, fw: Framework) -> Iterator[EntryRef]:
    """Every filled-in row: the framework's points, then the extra points."""
    yield from framework_entries(pledge, fw)
    yield from extra_entries(pledge)
