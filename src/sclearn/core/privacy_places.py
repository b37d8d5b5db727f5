"""Where a personal-data finding stands in the file: its own line and column, not its field's.

The model holds each value's text; the locations table holds where each value starts. A
finding inside a block scalar (``|``, ``>``) or a value that runs over several lines is found
again in the source, searching forward from the value's start and stopping at whatever the file
holds next, so that each finding is reported on the line a person would fix.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sclearn.core.pledge import LoadedPledge

Loc = tuple[str | int, ...]
Place = tuple[int, int]


def _bounds(lp: LoadedPledge) -> list[Place]:
    # Every key and value start, in file order: a scalar ends before the next one begins.
    return sorted(set(lp.locs.keys.values()) | set(lp.locs.values.values()))


class Places:
    """Finds where a piece of a value's text stands in the file."""

    def __init__(self, lp: LoadedPledge) -> None:
        self.lp = lp
        self.lines = lp.source.text.split("\n")
        self._bounds: list[Place] | None = None  # made on the first finding only

    def _end(self, start: Place) -> Place:
        if self._bounds is None:
            self._bounds = _bounds(self.lp)
        i = bisect.bisect_right(self._bounds, start)
        return self._bounds[i] if i < len(self._bounds) else (len(self.lines) + 1, 1)

    def _search(self, needle: str, start: Place, end: Place) -> Place | None:
        line, col = start
        while line <= min(end[0], len(self.lines)):
            text = self.lines[line - 1]
            at = text.find(needle, col - 1)
            if at >= 0 and (line < end[0] or at < end[1] - 1):
                return line, at + 1
            line, col = line + 1, 1
        return None

    def find(
        self, loc: Loc, needle: str, after: Place | None = None
    ) -> tuple[int | None, int | None]:
        """The line and column of ``needle`` in the value at ``loc``, searching from ``after``
        (the previous finding in the same value) or the value's start; the value's (or its
        key's) place when it cannot be found, e.g. a finding folded over two lines."""
        start = self.lp.locs.values.get(loc)
        if start is None:
            return self.lp.where(*loc)
        end = self._end(start)
        begin = (after[0], after[1] + 1) if after else start
        for piece in dict.fromkeys((needle, needle.split()[0] if needle.split() else needle)):
            found = self._search(piece, begin, end)
            if found:
                return found
        return start


def _is_extension(loc: Loc) -> bool:
    return any(isinstance(part, str) and part.startswith("x-") for part in loc)


def extension_text(lp: LoadedPledge) -> Iterator[tuple[Loc, int, int, str]]:
    """The text under every ``x-`` key, line by line: (place, line, column, text).

    The model drops ``x-`` keys (they are the user's own), so their values are read from the
    source between where each starts and where the file's next key or value starts; comment
    lines and trailing comments are left out."""
    if "x-" not in lp.source.text:
        return
    starts: dict[Place, Loc] = {}
    for loc, place in lp.locs.values.items():
        if _is_extension(loc):
            starts.setdefault(place, loc)
    if not starts:
        return
    bounds = _bounds(lp)
    lines = lp.source.text.split("\n")
    for start, loc in sorted(starts.items()):
        i = bisect.bisect_right(bounds, start)
        end = bounds[i] if i < len(bounds) else (len(lines) + 1, 1)
        first = lines[start[0] - 1][start[1] - 1 : start[1]]
        block = first in ("|", ">")
        for line in range(start[0], min(end[0], len(lines)) + 1):
            text = lines[line - 1]
            lo = start[1] - 1 if line == start[0] else 0
            hi = end[1] - 1 if line == end[0] else len(text)
            piece = text[lo:hi]
            if piece.lstrip().startswith("#") and not (block and line > start[0]):
                continue
            if not block and " #" in piece:
                piece = piece[: piece.index(" #")]
            if not block and piece[:1] in ("'", '"'):  # shown as the text, not the YAML
                piece, lo = piece[1:].rstrip().removesuffix(piece[0]), lo + 1
            if piece.strip():
                yield loc, line, lo + 1, piece
