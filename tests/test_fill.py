"""`sclearn fill`: the guided stage 1, on a real pseudo-terminal (scripted answers, Ctrl-C and
carrying on)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge
from tests.conftest import Result
from tests.test_exits import _terminal_run, needs_terminal

MOVE_ON = "Enter on an empty line moves on"


@needs_terminal
def test_answers_are_saved_exactly_and_ctrl_c_loses_nothing(
    new_file: Callable[..., Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    path = new_file()
    before = path.read_text(encoding="utf-8")
    code, text = _terminal_run(
        ["fill", path],
        [
            ("Fill in this point?", b"y\r"),
            ("Examples of current good practice", b"I see children alone # always\r"),
            ("Examples of current good practice", b"\r"),
            ("pledge to", b"- record: their own words\r"),
            ("pledge to", b"see the child, record, share\r"),
            ("pledge to", b"\r"),
            ("Factors that will help", b"\x03"),
        ],
        tmp_path,
    )
    assert code == 130, text
    assert "Stopped. Everything you entered is saved." in text
    assert "Keeping the child/young person" in text  # the point was shown
    entry = load_pledge(path, catalogue).pledge.points["child-focus"]
    assert entry is not None
    assert entry.good_practice == ["I see children alone # always"]
    assert entry.pledges == ["- record: their own words", "see the child, record, share"]
    # Only the lines of the answers changed; the comments and the rest are as they were.
    after = path.read_text(encoding="utf-8")
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert [ln[2:] for ln in diff if ln.startswith("- ")] == [
        "    good_practice: []",
        "    pledges: []",
    ]
    assert [ln[2:] for ln in diff if ln.startswith("+ ")] == [
        "    good_practice:",
        '      - "I see children alone # always"',
        "    pledges:",
        '      - "- record: their own words"',
        '      - "see the child, record, share"',
    ]

    # Running it again carries on at the same point (it has no signs of success yet).
    code, text = _terminal_run(
        ["fill", path],
        [
            ("Fill in this point?", b"y\r"),
            ("Examples of current good practice", b"\r"),
            ("pledge to", b"\r"),
            ("Factors that will help", b"supervision\r"),
            ("Factors that will help", b"\r"),
            ("may hinder", b"\r"),
            ("signs of success", b"children's words in every plan\r"),
            ("signs of success", b"\r"),
            ("Fill in this point?", b"s\r"),
            ("Why is it not relevant", b"we do not work with parents directly\r"),
            ("Fill in this point?", b"q\r"),
        ],
        tmp_path,
    )
    assert code == 0, text
    pledge = load_pledge(path, catalogue).pledge
    entry = pledge.points["child-focus"]
    assert entry is not None and entry.helps == ["supervision"]
    assert entry.signs_of_success == ["children's words in every plan"]
    two = pledge.points["partnership-with-parents"]
    assert two is not None and two.skip == "we do not work with parents directly"


@needs_terminal
def test_point_starts_at_one_point_and_extra_points_are_added(
    new_file: Callable[..., Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    path = new_file()
    steps = [("Fill in this point?", b"y\r")]
    steps += [(q, b"\r") for q in ("good practice", "pledge to", "will help", "may hinder")]
    steps += [("signs of success", b"\r"), ("Fill in this point?", b"q\r")]
    code, text = _terminal_run(
        ["fill", path, "--point", "14"],
        [
            ("Fill in this point?", b"l\r"),
            ("extra point", b"Neglect of teenagers: see them alone\r"),
            ("good practice", b"\r"),
            ("pledge to", b"ask older children how home is\r"),
            ("pledge to", b"\r"),
            ("will help", b"\r"),
            ("may hinder", b"\r"),
            ("signs of success", b"\r"),
            ("extra point", b"\r"),
        ],
        tmp_path,
    )
    assert code == 0, text
    assert "14) Practice that promotes partnership" in text
    extra = load_pledge(path, catalogue).pledge.extra_points
    assert [(e.finding, e.pledges) for e in extra] == [
        ("Neglect of teenagers: see them alone", ["ask older children how home is"])
    ]


def test_fill_needs_a_terminal(run: Callable[..., Result], new_file: Callable[..., Path]) -> None:
    path = new_file()
    before = path.read_bytes()
    result = run("fill", path)
    assert result.code == 2 and "no terminal" in result.err
    assert path.read_bytes() == before
