"""Every row of the seed's two tables, read from the seed alone, and the same rows of a framework.

The fidelity tests compare the two lists. Nothing here reads the framework file to decide what
the seed says: the seed's rows come from its tab-separated lines and bullet characters, so a row
the framework lacks shows up as missing instead of being quietly skipped.

A row is a tuple of texts, outermost first: ``("Appendix 2", domain title, dimension title,
consideration, nested consideration)`` or ``("table", area, point, column, bullet, nested
bullet)``. Bullets keep their nesting; emphasis tags (``<i>``, ``<u>``) are dropped, as the
framework file says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Row = tuple[str, ...]

# The source's bullet characters, by nesting level.
LEVELS = {"•": 0, "○": 1, "▪": 1}
LEAD = re.compile(r"^For potential consideration:*$")
APPENDIX_2 = "Appendix 2"
TABLE = "table"
KEY_POINTS = "key points"
DETAIL = "additional detail"

# Bullets the source's conversion cut in two, each piece made a bullet of its own (documented
# in the framework file's header). Joined again with a space; each pair must be found once.
SPLIT_BULLETS = (
    (
        "clarity about who is responsible for which action between",
        "individuals and across agencies",
    ),
    ("recorded and reported; key information carried throughout", "involvement - not lost"),
)


def clean(text: str) -> str:
    """Text without markup, with runs of white space made one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", text)).strip()


@dataclass
class Bullet:
    text: str
    items: list[Bullet] = field(default_factory=list)


def add_bullets(cell: str, into: list[Bullet], *, continuing: bool = False) -> str:
    """Add a table cell's bullets to ``into`` (nesting by bullet character) and return the
    cell's text before its first bullet.

    ``continuing``: the cell goes on from the row before a page break, whose bullets ``into``
    already holds. Text before the first bullet then ends the last bullet, and a nested bullet
    continues the last group.
    """
    cell = re.sub(r"</?(i|u)>", "", cell)
    pieces = re.split(r"([•○▪])", cell)
    lead = clean(pieces[0])
    if continuing and lead:
        continue_last(into, lead)
    for mark, text in zip(pieces[1::2], pieces[2::2], strict=True):
        level, siblings = LEVELS[mark], into
        for _ in range(level):
            assert siblings, f"a nested bullet with nothing above it: {text[:60]!r}"
            siblings = siblings[-1].items
        siblings.append(Bullet(clean(text)))
    return lead


def continue_last(bullets: list[Bullet], text: str) -> None:
    """A page break cut the last bullet: its words go on at the top of the next row."""
    assert bullets, f"text continues a bullet that does not exist: {text[:60]!r}"
    last = bullets[-1]
    while last.items:
        last = last.items[-1]
    last.text = f"{last.text} {text}"


def join_split_bullets(bullets: list[Bullet], found: Counter[tuple[str, str]]) -> None:
    i = 0
    while i < len(bullets):
        join_split_bullets(bullets[i].items, found)
        pair = (bullets[i].text, bullets[i + 1].text) if i + 1 < len(bullets) else None
        if pair in SPLIT_BULLETS and not bullets[i].items:
            assert pair is not None
            bullets[i].text = " ".join(pair)
            del bullets[i + 1]
            found[pair] += 1
        i += 1


def bullet_rows(prefix: Row, bullets: list[Bullet]) -> Iterator[Row]:
    for b in bullets:
        yield (*prefix, b.text)
        yield from bullet_rows((*prefix, b.text), b.items)


@dataclass
class Seed:
    """What the seed's tables hold, besides their rows: titles and column headings."""

    appendix_2_title: str
    appendix_2_columns: list[str]
    table_title: str
    table_columns: list[str]
    rows: list[Row]


def read_seed(path: Path) -> Seed:
    lines = path.read_text(encoding="utf-8").split("\n")
    table_title, table_columns, table = _table(lines)
    title, columns, appendix = _appendix_2(lines)
    return Seed(title, columns, table_title, table_columns, table + appendix)


def _table(lines: list[str]) -> tuple[str, list[str], list[Row]]:
    """The 14-point table of section 7: from its column headings to section 8."""
    start = lines.index("Three areas ~ fourteen points\tAdditional detail")
    end = lines.index("8) Developing and improving practice")
    title = lines[start - 2]
    assert title.startswith("Findings and Recommendations"), title
    areas: list[tuple[str, list[tuple[str, list[Bullet], list[Bullet]]]]] = []
    for line in lines[start + 1 : end]:
        if not line.strip():
            continue
        first, second = line.split("\t")
        heading = clean(re.split(r"[•○▪]", first)[0])
        if not heading:  # a page break: the row goes on with the last point's bullets
            _, last_key, last_detail = areas[-1][1][-1]
            add_bullets(first, last_key, continuing=True)
            add_bullets(second, last_detail, continuing=True)
            continue
        key_points: list[Bullet] = []
        detail: list[Bullet] = []
        add_bullets(first, key_points)
        number, _, text = heading.partition(") ")
        assert number.isdigit(), line[:80]
        if not key_points and not clean(second):
            areas.append((f"area {number}: {text}", []))
        else:
            assert not add_bullets(second, detail), line[:80]
            areas[-1][1].append((f"point {number}: {text}", key_points, detail))
    rows: list[Row] = []
    found: Counter[tuple[str, str]] = Counter()
    for area, points in areas:
        rows.append((TABLE, area))
        for point, key_points, detail in points:
            rows.append((TABLE, area, point))
            for column, bullets in ((KEY_POINTS, key_points), (DETAIL, detail)):
                join_split_bullets(bullets, found)
                rows += bullet_rows((TABLE, area, point, column), bullets)
    assert found == Counter(SPLIT_BULLETS), f"split bullets not found once each: {found}"
    return title, lines[start].split("\t"), rows


def _appendix_2(lines: list[str]) -> tuple[str, list[str], list[Row]]:
    """Appendix 2: every row from its heading to the end of the seed."""
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Appendix 2: "))
    title = lines[start].removeprefix("Appendix 2: ")
    columns: list[str] = []
    domains: list[tuple[str, list[tuple[str, list[Bullet]]]]] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        cells = line.split("\t")
        assert len(cells) == 2, line[:80]
        first, second = clean(cells[0]), cells[1]
        if first.endswith(" domain") and not clean(second):
            domains.append((first, []))
        elif first == "Dimension":
            columns = [first, clean(second)]
        elif not first:  # a page break: the row goes on with the last dimension's bullets
            add_bullets(second, domains[-1][1][-1][1], continuing=True)
        else:
            bullets = []
            lead = add_bullets(second, bullets)
            assert LEAD.match(lead), f"{first}: unexpected {lead!r}"
            domains[-1][1].append((first, bullets))
    rows: list[Row] = []
    for domain, dimensions in domains:
        rows.append((APPENDIX_2, domain))
        for dimension, bullets in dimensions:
            rows.append((APPENDIX_2, domain, dimension))
            rows += bullet_rows((APPENDIX_2, domain, dimension), bullets)
    return title, columns, rows


# --- the same rows from a framework (as plain data, so a test can delete any one) ------------


def _framework_bullets(prefix: Row, bullets: list[Any]) -> Iterator[tuple[Row, list[Any], int]]:
    for i, b in enumerate(bullets):
        text = b if isinstance(b, str) else b["text"]
        yield (*prefix, text), bullets, i
        if not isinstance(b, str):
            yield from _framework_bullets((*prefix, text), b["items"])


def framework_rows(data: dict[str, Any]) -> Iterator[tuple[Row, list[Any], int]]:
    """Each row of a framework's data (``Framework.model_dump()``), with the list that holds it
    and its place there, so that a test can delete exactly that row."""
    for i, area in enumerate(data["areas"]):
        area_row = (TABLE, f"area {area['number']}: {area['title']}")
        yield area_row, data["areas"], i
        for j, point in enumerate(area["points"]):
            point_row = (*area_row, f"point {point['number']}: {point['title']}")
            yield point_row, area["points"], j
            yield from _framework_bullets((*point_row, KEY_POINTS), point["key_points"])
            yield from _framework_bullets((*point_row, DETAIL), point["additional_detail"])
    pd = data.get("professional_dimension") or {"domains": []}
    for i, domain in enumerate(pd["domains"]):
        domain_row = (APPENDIX_2, domain["title"])
        yield domain_row, pd["domains"], i
        for j, dim in enumerate(domain["dimensions"]):
            dim_row = (*domain_row, dim["title"])
            yield dim_row, domain["dimensions"], j
            yield from _framework_bullets(dim_row, dim["considerations"])


def differences(seed: list[Row], ours: list[Row]) -> list[str]:
    """Plain descriptions of how a framework's rows differ from the seed's; empty if equal."""
    show = " > ".join
    missing = Counter(seed) - Counter(ours)
    extra = Counter(ours) - Counter(seed)
    out = [f"missing from the framework: {show(r)}" for r in seed if r in missing]
    out += [f"not in the seed: {show(r)}" for r in ours if r in extra]
    if not out and seed != ours:
        out.append("the framework has the seed's rows in another order")
    return out
