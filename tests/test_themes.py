"""Themes, not strings: factors grouped by what they say, and fair, capped selections."""

from __future__ import annotations

import random

from sclearn.core.examples import Selection
from sclearn.core.themes import Themes, theme_key


def themes_of(texts: list[str]) -> dict[str, int]:
    t = Themes()
    for x in texts:
        t.add(x)
    return {th.label: th.count for th in t.themes()}


def test_case_punctuation_and_plurals_are_one_factor() -> None:
    assert len({theme_key(x) for x in ("time", "Time.", "times", "TIME!")}) == 1
    assert themes_of(["time", "Time.", "times"]) == {"time": 3}


def test_common_words_are_left_out_and_short_themes_take_in_longer_wordings() -> None:
    found = themes_of(["Time", "lack of time", "protected time to write", "Supervision"])
    assert found == {"Time": 3, "Supervision": 1}


def test_a_typing_slip_joins_its_theme() -> None:
    assert themes_of(["supervision", "Supervision", "supervison"]) == {"supervision": 3}


def test_distinct_factors_stay_apart() -> None:
    texts = ["Time", "Training", "Supervision", "Caseload pressures", "IT systems", "Team"]
    assert sorted(themes_of(texts).values()) == [1] * len(texts)


def test_each_theme_has_a_count_and_real_examples() -> None:
    t = Themes()
    for x in ["Time", "time.", "Times", "lack of time", "time"]:
        t.add(x)
    (theme,) = t.themes()
    assert theme.count == 5
    assert 2 <= len(theme.examples) <= 3
    assert all(x in {"Time", "time.", "Times", "lack of time", "time"} for x in theme.examples)


def test_themes_are_the_same_whatever_the_order_of_equal_counts() -> None:
    texts = ["Time", "Training", "Supervision", "supervison", "time", "Caseload"]
    first = themes_of(texts)
    assert first == themes_of(texts) and list(first) == list(themes_of(texts))


def test_memory_stays_flat_past_the_cap() -> None:
    t = Themes(cap=100)
    for i in range(1000):
        t.add(f"factor number {i} {'x' * (i % 7)}")
        t.add("time")
    assert len(t.counts) <= 101
    assert t.total == 2000
    assert t.themes(1)[0].count == 1000  # a factor cited again and again is never let go


def test_names_removed_can_make_two_factors_one() -> None:
    t = Themes()
    t.add("Priya helps")
    t.add("Sam helps")
    merged = t.mapped(lambda x: x.replace("Priya", "").replace("Sam", ""))
    assert [th.count for th in merged.themes()] == [2]


def offered(order: list[tuple[str, str, str]]) -> Selection:
    s = Selection()
    for text, agency, district in order:
        s.add(text, "who", agency, district)
    return s


def test_the_selection_spreads_across_agencies_and_districts_and_is_capped() -> None:
    rng = random.Random(3)
    items = [
        (f"Good practice example number {i} with words", f"agency {i % 4}", f"district {i % 5}")
        for i in range(400)
    ]
    s = offered(items)
    picked = s.pick(5)
    assert len(picked) == 5 and s.count == 400
    assert len({e.agency for e in picked}) == 4
    assert len({e.district for e in picked}) == 5
    rng.shuffle(items)
    assert offered(items).pick(5) == picked  # whatever order the files are read in
    assert sum(len(h) for h in s._buckets.values()) <= 5 * 20  # only a few kept per place


def test_the_selection_prefers_fuller_texts_and_skips_repeats() -> None:
    s = offered(
        [("Ok", "a", "d"), ("Ok", "a", "d"), ("A full sentence of practice here", "a", "d")]
    )
    picked = s.pick(5)
    assert [e.text for e in picked] == ["A full sentence of practice here", "Ok"]
