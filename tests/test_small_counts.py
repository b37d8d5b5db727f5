"""Small counts in anonymised collations: no figure of fewer than K owners, in any output.

The corpus is generated (varied stages, reviews, verdicts, reflections, districts and agencies
of every size). The oracle is independent of the code under test: each file is collated on its
own, and a figure "describes" the files that add to it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sclearn.core.errors import UsageError
from sclearn.files.frameworks import Catalogue
from sclearn.services.collate import Options, collate
from sclearn.services.collate.anonymise import other_group
from sclearn.services.collate.small import (
    NOT_SHOWN,
    Hidden,
    hide_small,
    merge_small,
    protect,
    small,
    total,
)

from .conftest import Result
from .corpus import generate

AS_OF = "2026-11-26"
Run = Callable[..., Result]
Leaf = tuple[str, ...]
# Figures outside the rule: not about owners (the unreadable files are listed one by one).
NOT_OWNERS = {("files",)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    generate(folder, 150, seed=7)
    return folder


def leaves(tree: Any, path: Leaf = ()) -> Iterator[tuple[Leaf, Any]]:
    """Every count of a collation JSON (or part of one), with its path."""
    if isinstance(tree, dict):
        for key, v in tree.items():
            yield from leaves(v, (*path, key))
    elif tree is None or (isinstance(tree, int) and not isinstance(tree, bool)):
        yield path, tree


FIGURES = (
    "owners",
    "stage1_complete",
    "stage2_complete",
    "reviews",
    "signoff",
    "points",
    "evidence_sources",
    "point_evidence_sources",
    "extra_points",
    "reflection",
)


def figures(data: dict[str, Any]) -> dict[Leaf, Any]:
    return {p: v for key in FIGURES for p, v in leaves(data[key], (key,))}


@pytest.fixture(scope="module")
def reach(corpus: Path, catalogue: Catalogue) -> Counter[Leaf]:
    """For each figure, how many files add to it: each file collated alone."""
    counts: Counter[Leaf] = Counter()
    for path in sorted(corpus.rglob("*.pledge.yaml")):
        one = collate([path], catalogue, Options(as_of=dt.date(2026, 11, 26), detail=False))
        try:
            data = one.as_json()
        except UsageError:  # not a valid file
            continue
        if data["framework"] == {"id": "derbyshire-scr", "version": "1.0"} and data["collated"]:
            counts.update(p for p, v in figures(data).items() if v)
    return counts


def collated(run: Run, corpus: Path, *args: str) -> dict[str, Any]:
    r = run("collate", corpus, "--format", "json", "--as-of", AS_OF, "--no-cache", *args)
    assert r.code == 2, r.err  # the corpus has unreadable files
    return dict(json.loads(r.out))


def lone(cells: list[Any]) -> bool:
    """Exactly one cell hidden, and another non-zero shown: whole minus parts would give it."""
    return cells.count(None) == 1 and any(v for v in cells if v is not None)


def add(trees: list[dict[str, Any]]) -> dict[Leaf, int]:
    out: Counter[Leaf] = Counter()
    for tree in trees:
        out.update({p: v for p, v in figures(tree).items() if v})
    return out


@pytest.mark.parametrize("k", [3, 5, 12])
@pytest.mark.parametrize("by", ["agency", "district", "team", "kind"])
def test_no_json_count_describes_fewer_than_k_owners_nor_lets_one_be_worked_out(
    run: Run, corpus: Path, reach: Counter[Leaf], k: int, by: str
) -> None:
    raw = collated(run, corpus, "--group-by", by)
    anon = collated(run, corpus, "--group-by", by, "--anonymise", "--min-group", str(k))
    whole, exact = figures(anon), figures(raw)
    everywhere = [whole, *(figures(g) for g in anon["groups"].values())]
    hidden = [p for tree in everywhere for p, v in tree.items() if v is None]
    assert (hidden or k < 5) and any(whole.values()), (
        "the corpus should have small and large counts"
    )
    for path, value in whole.items():
        if 0 < reach[path] < k:
            assert value is None, path  # a figure of fewer than K owners
        else:
            assert value in (None, exact[path]), path
    # Parts that add up to a shown whole: never one of them alone hidden beside others shown.
    for tree in (anon, *anon["groups"].values()):
        if (tree.get("collated") or tree.get("valid")) is not None:
            assert not lone(list(tree["owners"].values()))
        for code, whole_count in tree["evidence_sources"].items():
            cells = [c.get(code) for c in tree["point_evidence_sources"].values() if code in c]
            assert whole_count is None or not lone(cells), code
        for pid, point in tree["points"].items():
            if tree["reviews"]["completed"] is not None:
                assert not lone(list(point["progress"].values())), pid
    # The groups add up to the whole: no figure hidden in one group only.
    groups = anon["groups"]
    assert all(g["valid"] >= k for g in groups.values())
    named = {n: g for n, g in raw["groups"].items() if n in groups}
    merged = [g for n, g in raw["groups"].items() if n not in groups]
    truth = {n: add([g]) for n, g in named.items()}
    if merged:
        truth[other_group(k)] = add(merged)
    for path, value in whole.items():
        if value is None:
            continue
        cells = {n: figures(g).get(path, 0) for n, g in groups.items()}
        unknown = [n for n, v in cells.items() if v is None and truth[n][path]]
        assert len(unknown) != 1, (path, unknown)
        for n, shown in cells.items():
            assert shown in (None, truth[n][path]) and not (shown and shown < k), (path, n)


@pytest.mark.parametrize("k", [5, 12])
def test_overdue_reviews_are_counted_by_place_and_never_listed(
    run: Run, corpus: Path, k: int
) -> None:
    raw = collated(run, corpus)
    anon = collated(run, corpus, "--anonymise", "--min-group", str(k))
    assert raw["overdue_reviews"] and anon["overdue_reviews"] == []
    for key in ("overdue_by_district", "overdue_by_agency"):
        counts = anon[key]
        assert all(n is None or n >= k for n in counts.values()), counts
        assert list(counts.values()).count(None) != 1 or other_group(k) not in counts
        shown = {name: n for name, n in counts.items() if n is not None}
        assert all(raw[key].get(name) == n for name, n in shown.items() if name != other_group(k))
        if None not in counts.values():
            assert sum(counts.values()) == anon["reviews"]["overdue"]


NUMBER = re.compile(r"\d+")


def small_numbers(cells: list[str], k: int) -> list[str]:
    return [c for c in cells if NUMBER.fullmatch(c) and 0 < int(c) < k]


@pytest.mark.parametrize("k", [5, 12])
def test_no_report_table_or_chart_shows_a_count_under_k(
    run: Run, corpus: Path, tmp_path: Path, k: int
) -> None:
    args = ("--anonymise", "--min-group", str(k), "--group-by", "team", "--no-cache")
    md = run("collate", corpus, "--format", "md", "--as-of", AS_OF, *args).out
    cells = [
        c.strip()
        for line in md.splitlines()
        if line.startswith("|") and not line.startswith("| Files that could not be read")
        for c in line.strip("|").split("|")
    ]
    assert not small_numbers(cells, k)
    assert f"| {small(k)} |" in md and f"| {NOT_SHOWN} |" in md
    assert not re.search(r"\((\d+)\)", md.replace("\\", "")) or all(
        int(n) >= k or int(n) == 0 for n in re.findall(r"\((\d+)\)\n", md)
    )
    page = run("collate", corpus, "--format", "html", "--as-of", AS_OF, *args).out
    page = page.replace('<th scope="row">Files that could not be read</th><td class="n">', "")
    numbers = re.findall(r'<td class="n">([^<]*)</td>', page)
    numbers += re.findall(r'<text[^>]*class="bar-value">([^<]*)</text>', page)
    numbers = [html.unescape(n) for n in numbers]
    parts = [p.strip() for n in numbers for p in n.split(" / ")]
    assert not small_numbers(parts, k) and small(k) in parts
    # The charts' descriptions, read out by screen readers, say the same.
    said = re.findall(r"<desc[^>]*>([^<]*)</desc>", page)
    assert not [d for d in said if re.search(rf": ({'|'.join(map(str, range(1, k)))}) ", d)]


def test_the_workbook_shows_no_count_under_k(run: Run, corpus: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "out.xlsx"
    args = ("--anonymise", "--group-by", "district", "--no-cache", "--as-of", AS_OF)
    assert run("collate", corpus, "--format", "xlsx", "-o", target, *args).code == 2
    book = load_workbook(target)
    seen: list[int] = []
    for ws in book:
        if ws.title.startswith("Items") or ws.title == "Unreadable files":
            continue
        for row in ws.iter_rows(values_only=True):
            if row[0] == "Files that could not be read":
                continue
            seen += [c for c in row if isinstance(c, int) and not isinstance(c, bool)]
            seen += [0] if small(5) in row else []
    assert seen and not [n for n in seen if 0 < n < 5]
    assert any(small(5) in row for row in book["Points by district"].iter_rows(values_only=True))
    assert [c.value for c in book["Overdue"][1]] == ["By", "District or agency", "Overdue"]


def test_hide_small_hides_by_the_files_behind_a_count() -> None:
    tree = {"valid": 9, "owners": {"individual": 8, "team": 1}, "points": {"a": {"pledges": 30}}}
    reach: Counter[Leaf] = Counter(
        {("valid",): 9, ("owners", "individual"): 8, ("owners", "team"): 1}
    )
    reach[("points", "a", "pledges")] = 2
    shown = hide_small(tree, reach, 5)
    assert shown["points"]["a"]["pledges"] == small(5)  # thirty pledges of two people
    assert shown["owners"] == {"individual": 8, "team": small(5)}
    protect(shown, [])
    assert shown["owners"] == {"individual": NOT_SHOWN, "team": small(5)}
    assert shown["valid"] == 9
    # A figure no file was counted for is hidden, not shown on trust.
    assert hide_small({"new": 40}, Counter(), 5) == {"new": small(5)}


def test_a_figure_hidden_in_one_group_is_hidden_in_another() -> None:
    def tree(n: int) -> dict[str, Any]:
        return {"valid": 20, "owners": {"individual": 20, "team": 0}, "x": n}

    whole = tree(0) | {"valid": 60, "owners": {"individual": 60, "team": 0}, "x": 19}
    groups = [tree(10), tree(7), tree(0) | {"x": small(5)}]
    protect(whole, groups)
    assert [g["x"] for g in groups] == [10, NOT_SHOWN, small(5)]


def test_merge_small_and_total() -> None:
    assert merge_small({"A": 9, "B": 2, "C": 3, "": 1}, 5, "Other") == {"A": 9, "Other": 6}
    assert merge_small({"A": 9, "B": 6, "C": 2}, 5, "Other") == {
        "A": 9,
        "B": NOT_SHOWN,
        "Other": small(5),
    }
    assert total([3, 4]) == 7 and total([3, small(5)]) == NOT_SHOWN
    assert isinstance(NOT_SHOWN, Hidden) and str(small(5)) == "fewer than 5"


def test_a_theme_is_judged_by_how_many_cited_it_not_how_often() -> None:
    from sclearn.core.themes import Themes

    themes = Themes(owners={})
    for _ in range(6):
        themes.add("Good supervision", who=("Individual 1",))
    themes.add("good supervisions", who=("Individual 2",))
    themes.add("Time to reflect", who=("Individual 3",))
    renamed = themes.mapped(lambda text: text.replace("Good", "Regular"))
    for t in (themes, renamed):
        top = t.themes()[0]
        assert (top.count, top.owners) == (7, 2)
        assert t.owner_count() == 3
    assert Themes().themes() == [] and Themes().owner_count() == 0
