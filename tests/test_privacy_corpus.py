"""Recall and false alarms of the personal-data check, measured on the planted set.

The README states the figures; a test keeps them the measured ones.
"""

from __future__ import annotations

from collections import Counter

from sclearn.core.privacy import compile_patterns, find, nhs_number_valid

from .conftest import ROOT
from .privacy_corpus import CASE_PATTERNS, IDENTIFIERS, LOOK_ALIKES, NHS

PATTERNS = compile_patterns(CASE_PATTERNS)


def missed() -> list[tuple[str, str, str]]:
    """Planted identifiers not found in full, as the right kind."""
    out = []
    for kind, value, sentence in IDENTIFIERS:
        at = sentence.index(value)
        if not [
            f
            for f in find(sentence, PATTERNS)
            if f.kind == kind and f.start <= at and f.end >= at + len(value)
        ]:
            out.append((kind, value, sentence))
    return out


def false_alarms() -> list[str]:
    """Look-alikes in which anything was found."""
    return [text for text in LOOK_ALIKES if find(text, PATTERNS)]


def figures() -> str:
    """The sentence the README gives."""
    found = len(IDENTIFIERS) - len(missed())
    return (
        f"finds {found} of {len(IDENTIFIERS)} planted identifiers and raises "
        f"{len(false_alarms())} false alarms on {len(LOOK_ALIKES)} harmless look-alikes"
    )


def test_the_planted_set_is_what_it_claims() -> None:
    assert len(IDENTIFIERS) >= 100 and len(LOOK_ALIKES) >= 100
    kinds = Counter(kind for kind, _, _ in IDENTIFIERS)
    assert len(kinds) == 6 and min(kinds.values()) >= 8, kinds
    assert all(value in sentence for _, value, sentence in IDENTIFIERS)
    assert all(
        nhs_number_valid("".join(ch for ch in value if ch.isdigit()))
        for kind, value, _ in IDENTIFIERS
        if kind == NHS
    )
    # The forms the issue named are there.
    values = {value for _, value, _ in IDENTIFIERS}
    assert {"2015/03/12", "3rd of March 2015", "March 12, 2015", "12th Mar '15"} <= values
    assert {
        "S47 2nd strategy meeting within 15 working days",
        "Y6 1st term transition work with secondary schools",
        "Y10 2nd half term attendance fell",
        "0-19 service",
        "Working Together 2006 8.3",
    } <= set(LOOK_ALIKES)


def test_every_planted_identifier_is_found() -> None:
    assert missed() == []


def test_no_more_than_two_false_alarms_in_a_hundred() -> None:
    alarms = false_alarms()
    print(figures())
    assert len(alarms) * 100 <= 2 * len(LOOK_ALIKES), alarms


def test_the_readme_gives_the_measured_figures() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert figures() in readme, figures()
