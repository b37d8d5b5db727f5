"""The personal-data check: seeded identifiers found in full, no false alarm on the examples."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sclearn.core.privacy import any_in, compile_patterns, find, nhs_number_valid
from sclearn.files.frameworks import Catalogue
from sclearn.services.check import check_file

from .conftest import EXAMPLES
from .privacy_corpus import CASE_PATTERNS, IDENTIFIERS, LOOK_ALIKES
from .test_check import edit


def valid_nhs(rng: random.Random) -> str:
    while True:
        # Issued NHS numbers start 3 to 9 (England and Wales: 4, 6, 7; 9 for tests); a
        # ten-digit number starting 0 is a phone number.
        digits = rng.choice("4679") + "".join(rng.choice("0123456789") for _ in range(8))
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits))
        check = (11 - total % 11) % 11
        if check != 10:
            return digits + str(check)


def seeded(seed: int = 3) -> list[tuple[str, str]]:
    """(kind, identifier) pairs in the forms people write them."""
    rng = random.Random(seed)
    out = []
    for _ in range(6):
        n = valid_nhs(rng)
        out.append(
            (
                "NHS number",
                rng.choice([n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}"]),
            )
        )
    out += [
        ("postcode", p)
        for p in ("DE4 3AG", "S40 1LP", "NG10 1AA", "SK17 6EH", "de55 4fp", "DE7 5QQ")
    ]
    out += [
        ("date of birth", d)
        for d in ("12/03/2015", "4 May 2016", "2014-07-09", "1st June 2017", "09.11.2019")
    ]
    out += [
        ("phone number", p)
        for p in (
            "01773 123456",
            "07700 900123",
            "+44 7700 900123",
            "(01629) 533190",
            "0115-9876543",
        )
    ]
    out += [("e-mail address", e) for e in ("mum.smith@gmail.com", "j.doe+kids@example.co.uk")]
    out += [("case reference", c) for c in ("CP-123456", "CP-654321")]
    return out


# "ref 01773 123456" is a reference number, not a phone number: no "ref" before those.
LEADS = {
    "date of birth": ["DOB", "born on", "d.o.b.", "Date of birth:"],
    "phone number": ["phone", "mobile", "contact", "at", "tel."],
}


def sentence(kind: str, value: str, rng: random.Random) -> str:
    lead = rng.choice(LEADS.get(kind, ["see", "ref", "contact", "at"]))
    return f"Visited the family and noted {lead} {value} in the record"


def test_nhs_check_digit() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("0000000000")


def test_every_seeded_identifier_is_found_where_it_is(
    new_file: Callable[..., Path], catalogue: Catalogue
) -> None:
    rng = random.Random(1)
    items = seeded()
    texts = [sentence(kind, value, rng) for kind, value in items]

    def change(d: dict) -> None:  # type: ignore[type-arg]
        points = list(d["points"])
        for i, text in enumerate(texts):
            d["points"][points[i % len(points)]].setdefault("good_practice", [])
            d["points"][points[i % len(points)]]["good_practice"].append(text)

    path = edit(new_file(), change)
    report = check_file(
        path, catalogue, privacy="warn", case_patterns=compile_patterns([r"CP-\d{6}"])
    )
    found = [p for p in report.problems if p.message.startswith("this looks like")]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert len(found) == len(items)  # every one, and nothing else
    for kind, value in items:
        matches = [
            p
            for p in found
            if re.match(f"this looks like an? {kind}:", p.message)
            and p.line is not None
            and value in lines[p.line - 1]
        ]
        assert matches, (kind, value)
        assert value not in matches[0].message  # shown masked


def test_strict_makes_the_file_fail(run, new_file: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    from .test_check import fill

    path = new_file()

    def change(d: dict) -> None:  # type: ignore[type-arg]
        from sclearn.files.frameworks import Catalogue

        fill(Catalogue.load().default(), d)
        d["points"]["assessment"]["pledges"] = ["Follow up NHS no. 943 476 5919 at clinic"]

    edit(path, change)
    warn = run("check", path, "--format", "json")
    assert warn.code == 0
    problems = json.loads(warn.out)["files"][0]["problems"]
    assert any(
        p["message"].startswith("this looks like an NHS number")
        and "943 476 5919" not in p["message"]
        for p in problems
    )
    assert run("check", path, "--privacy", "strict").code == 1
    assert run("check", path, "--privacy", "off", "--format", "json").out.count("NHS") == 0


def test_examples_raise_no_false_alarm(catalogue: Catalogue) -> None:
    for path in EXAMPLES.glob("*.pledge.yaml"):
        report = check_file(path, catalogue, privacy="strict")
        assert not [p for p in report.problems if p.message.startswith("this looks like")], (
            path.name
        )


@pytest.mark.parametrize(
    "text",
    [
        "Worked with 12 of 12 families in 2026",
        "Children under 11 and 9 of 10 files",
        "Level 3 training",
        "Working Together 2006 p.169",
        "CA'89 sn. 31 (10)",
    ],
)
def test_ordinary_practice_text_is_not_flagged(text: str) -> None:
    assert find(text) == []


def test_redaction_in_render_and_collate(
    run,
    new_file: Callable[..., Path],  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    secrets = ["943 476 5919", "DE4 3AG", "mum.smith@gmail.com", "07700 900123", "12/03/2015"]
    path = edit(
        new_file(),
        lambda d: d["points"]["assessment"].__setitem__(
            "good_practice", [f"Case note: {s} (DOB 12/03/2015)" for s in secrets]
        ),
    )
    r = run("render", path, "--format", "md")
    assert "personal data" in r.err and "943 476 5919" in r.out  # warned, not masked
    for fmt in ("md", "html"):
        out = run("render", path, "--format", fmt, "--redact").out
        assert not [s for s in secrets if s in out]
        assert "removed: NHS number" in out
    for args in (("--redact",), ("--anonymise",)):
        for fmt in ("md", "csv", "html"):
            out = run("collate", path.parent, "--format", fmt, *args, "--as-of", "2026-11-26").out
            assert not [s for s in secrets if s in out], (args, fmt)
    warned = run("collate", path.parent, "--format", "json", "--as-of", "2026-11-26")
    assert json.loads(warned.out)["privacy_warnings"] == [str(path)]
    assert "looks like personal data" in warned.err


def test_any_in_agrees_with_find_on_every_text() -> None:
    """The shortcut (only texts with a digit or an @ are searched) misses nothing."""
    rng = random.Random(7)
    pieces = [
        *(s for _, _, s in IDENTIFIERS),
        *LOOK_ALIKES,
        "DOB ٢٠١٥/٠٣/١٢",  # Arabic-Indic digits: a digit to \d, not to "0123456789"
        "born on the 3rd of March 2015",
        "call 07700 900123",
        "ref",
        "write to a@b.org",
        "",
        "Plain words, nothing to see.",
        "Café 12/03/2015 DOB",
    ]
    patterns = compile_patterns(CASE_PATTERNS)
    for _ in range(400):
        texts = rng.sample(pieces, rng.randint(0, 6))
        expected = any(find(t) for t in texts)
        assert any_in(texts) is expected, texts
        assert any_in(texts, patterns) is any(find(t, patterns) for t in texts), texts
