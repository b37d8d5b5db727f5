"""A short, fair selection of texts for a report: a few examples, not every text.

Fair means spread: the selection takes from as many agencies and districts as it can before it
takes a second from any. Deterministic means the same files always give the same selection,
whatever order they are read in: each text has a fixed rank (a hash of its words), and the
lowest ranks win. Memory stays flat: for each agency and district only the ``keep`` best-ranked
texts are held, and the rest are only counted.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field

from sclearn.core.themes import theme_key

SHOWN = 5  # examples per point in the summary reports
_FEW_WORDS = 4  # shorter texts are chosen only when nothing longer is left


@dataclass(frozen=True, slots=True, order=True)
class Example:
    """One text kept for the selection, with what the spread and the report need."""

    rank: bytes
    text: str
    who: str = ""  # attribution, as the collation records it
    agency: str = ""
    district: str = ""
    note: str = ""  # e.g. an evidence item's source


def _rank(text: str) -> bytes:
    return hashlib.blake2b(theme_key(text).encode("utf-8"), digest_size=8).digest()


@dataclass(slots=True)
class Selection:
    """Texts offered one at a time; ``pick`` gives the spread selection, ``count`` them all."""

    keep: int = SHOWN
    count: int = 0
    _buckets: dict[tuple[str, str], list[tuple[bytes, Example]]] = field(default_factory=dict)

    def add(
        self, text: str, who: str = "", agency: str = "", district: str = "", note: str = ""
    ) -> None:
        """Offer one text; blank texts are ignored."""
        if not text.strip():
            return
        self.count += 1
        example = Example(_rank(text), text, who, agency, district, note)
        heap = self._buckets.setdefault((agency, district), [])
        # A max-heap by rank (negated bytes are not possible, so invert them).
        item = (bytes(255 - b for b in example.rank), example)
        if len(heap) < self.keep:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)

    def pick(self, limit: int = SHOWN) -> list[Example]:
        """Up to ``limit`` texts, each from a new agency and district while there are any."""
        pool = sorted({e for heap in self._buckets.values() for _, e in heap})
        chosen: list[Example] = []
        agencies: set[str] = set()
        districts: set[str] = set()
        texts: set[str] = set()
        while pool and len(chosen) < limit:
            best = min(
                pool,
                key=lambda e: (
                    e.agency in agencies,
                    e.district in districts,
                    len(e.text.split()) < _FEW_WORDS,
                    e.rank,
                ),
            )
            pool.remove(best)
            if best.text in texts:
                continue
            chosen.append(best)
            texts.add(best.text)
            agencies.add(best.agency)
            districts.add(best.district)
        return chosen
