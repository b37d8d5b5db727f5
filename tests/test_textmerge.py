"""The three-way line merge on its own, and what a command says when a layout cannot be kept."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sclearn.files.textmerge import Hunk, MergeResult, dominant_newline, merge, split_lines

from .conftest import EXAMPLES

BASE = "a:\n  b: 1\n  c: 2\nd:\n  - x\n  - y\ne: 3\n"


def test_no_edit_gives_the_original_back() -> None:
    original = "a:\r\n    b: 1   \r\n    c: 2\r\nd:\r\n- x\r\n- y\r\ne: 3"
    assert merge(original, BASE, BASE) == MergeResult(original, [])


def test_same_layout_gives_the_edit() -> None:
    edited = BASE.replace("  c: 2\n", "  c: 2\n  n: new\n")
    assert merge(BASE, BASE, edited).text == edited


def test_edit_lands_in_the_original_layout() -> None:
    original = "a:\n  b: 1   \n  c: 2\nd: [x,  # mine\n  y]\ne: 3"
    base = "a:\n  b: 1\n  c: 2\nd: [x, y]\ne: 3\n"
    edited = "a:\n  b: 1\n  c: 2\n  n: new\nd: [x, y]\ne: 4\n"
    assert merge(original, base, edited) == MergeResult(
        "a:\n  b: 1   \n  c: 2\n  n: new\nd: [x,  # mine\n  y]\ne: 4", []
    )


def test_new_lines_take_the_usual_ending_and_old_ones_keep_theirs() -> None:
    original = "a: 1\r\nb: 2\nc: 3\r\n"
    edited = "a: 1\nb: 2\nn: new\nc: 3\n"
    assert merge(original, "a: 1\nb: 2\nc: 3\n", edited).text == "a: 1\r\nb: 2\nn: new\r\nc: 3\r\n"
    assert merge("a: 1\rb: 2\r", "a: 1\nb: 2\n", "a: 1\nb: 2\nc: 3\n").text == "a: 1\rb: 2\rc: 3\r"


def test_final_newline_state_is_kept() -> None:
    assert merge("a: 1\nb: 2", "a: 1\nb: 2\n", "a: 1\nb: 2\nc: 3\n").text == "a: 1\nb: 2\nc: 3"
    assert merge("a: 1\nb: 2\n", "a: 1\nb: 2", "a: 1\nb: 2\nc: 3").text == "a: 1\nb: 2\nc: 3\n"


def test_additions_around_a_differently_written_region_keep_it() -> None:
    original = "a: some\n  folded text\nz: 1\n"
    base = "a: some folded text\nz: 1\n"
    after = "a: some folded text\nb: new\nz: 1\n"
    before = "n: new\na: some folded text\nz: 1\n"
    assert merge(original, base, after).text == "a: some\n  folded text\nb: new\nz: 1\n"
    assert merge(original, base, before).text == "n: new\na: some\n  folded text\nz: 1\n"


def test_both_adding_at_the_end_keeps_both() -> None:
    assert merge("a: 1\n...\n", "a: 1\n", "a: 1\nb: 2\n").text == "a: 1\nb: 2\n...\n"


def test_an_edit_inside_a_differently_written_region_is_reported() -> None:
    original = "x: 0\na: [1,  # one\n  2]\nz: 1\n"
    base = "x: 0\na: [1, 2]\nz: 1\n"
    edited = "x: 0\na:\n  - 1\n  - 2\n  - 3\nz: 1\n"
    result = merge(original, base, edited)
    assert result.text == edited
    assert result.hunks == [Hunk(2, 5, ("a: [1,  # one\n", "  2]\n"))]


def test_a_key_function_decides_what_counts_as_the_same_line() -> None:
    original = "a: ~\nb: 1\n"
    base = "a: null\nb: 1\n"
    edited = "a: null\nb: 1\nc: 2\n"
    assert merge(original, base, edited).text == "a: ~\nb: 1\nc: 2\n"
    nulls = merge(
        "a: ~\nb: 1\n",
        base,
        "a: null\nb: 2\n",
        key=lambda ln: ln.rstrip("\r\n").replace("~", "null"),
    )
    assert nulls == MergeResult("a: ~\nb: 2\n", [])


def test_line_helpers() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a\r\n", "b\r", "c\n", "d"]
    assert split_lines("") == []
    assert dominant_newline("a\r\nb\r\nc\n") == "\r\n"
    assert dominant_newline("a\rb\r") == "\r"
    assert dominant_newline("no newline") == "\n"


# Property: where the author's layout and the edit touch different lines (even next to each
# other), the merge is exactly the author's file with the edit made.
words = st.text("abcxyz", min_size=1, max_size=4)


@given(lines=st.lists(words, min_size=3, max_size=30, unique=True), data=st.data())
def test_edits_away_from_layout_changes_merge_exactly(
    lines: list[str], data: st.DataObject
) -> None:
    n = len(lines)
    at = data.draw(st.integers(0, n - 1), label="edited line")
    styled = data.draw(
        st.sets(st.integers(0, n - 1).filter(lambda i: i != at)), label="restyled lines"
    )
    insert = data.draw(st.lists(st.text("ABC", min_size=1, max_size=3), max_size=3))
    ending = data.draw(st.sampled_from(["\n", "\r\n", "\r"]))
    replace = data.draw(st.booleans())
    base = [f"{x}\n" for x in lines]
    edited = base[:at] + [f"{x}\n" for x in insert] + (base[at + 1 :] if replace else base[at:])
    # The author wrote some lines differently: with trailing spaces, or wrapped over two.
    user = [
        ([f"{x}  "] if i % 2 else [f"{x}~1", f"{x}~2"]) if i in styled else [x]
        for i, x in enumerate(lines)
    ]
    original = "".join(f"{x}{ending}" for group in user for x in group)
    kept = user[:at] + [insert] + (user[at + 1 :] if replace else user[at:])
    expected = [x for group in kept for x in group]
    result = merge(original, "".join(base), "".join(edited))
    assert result == MergeResult("".join(f"{x}{ending}" for x in expected), [])


@given(lines=st.lists(words, max_size=20), ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_no_edit_never_changes_a_byte(lines: list[str], ending: str) -> None:
    original = ending.join(f" {x}\t" for x in lines)
    base = "".join(f"{x}\n" for x in lines)
    assert merge(original, base, base).text == original


# --- what the command says ---------------------------------------------------------------------


def test_review_says_which_lines_it_could_not_keep(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = Path(shutil.copy(EXAMPLES / "erewash-health-visiting-team.pledge.yaml", tmp_path))
    text = path.read_text(encoding="utf-8").replace(
        '    skip: ""\n\n  # 5)',
        '    skip: ""\n    review:\n      evidence: [{text: First audit, source: SR},  # March\n'
        '        {text: Second audit, source: SR}]\n      progress:\n      notes: ""\n\n  # 5)',
    )
    path.write_text(text, encoding="utf-8")
    r = run(
        "review",
        path,
        "--point",
        "4",
        "--evidence",
        "Third audit",
        "--source",
        "MR",
        "--date",
        "2027-04-01",
    )
    assert r.code == 0, r.text
    after = path.read_text(encoding="utf-8")
    # The list had to become a block list (ruamel cannot add to a list written over several
    # lines); the command names exactly those lines.
    first = after.split("\n").index("      evidence:") + 1
    last = after.split("\n").index("        - {text: Third audit, source: MR}") + 1
    assert f"lines {first}-{last} were rewritten in sclearn's own layout" in " ".join(r.out.split())
    # Every other line is as it was.
    changed = [
        ln for ln in difflib.ndiff(text.split("\n"), after.split("\n")) if ln.startswith("- ")
    ]
    assert changed == [
        "-       evidence: [{text: First audit, source: SR},  # March",
        "-         {text: Second audit, source: SR}]",
    ]


def test_a_merge_that_reads_differently_is_never_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sclearn.files import roundtrip, textmerge

    path = tmp_path / "x.yaml"
    path.write_text("a:    1\nb: [x,  # mine\n  y]\n", encoding="utf-8")
    doc = roundtrip.load_document(path)
    doc.data["c"] = "new"
    # A merge that went wrong (it forgot the edit): ruamel's own text is written instead.
    monkeypatch.setattr(textmerge, "merge", lambda o, b, e, key: MergeResult(o, []))
    assert roundtrip.save_document(doc)
    assert path.read_text(encoding="utf-8") == "a: 1\nb: [x, y]\nc: new\n"
    assert len(doc.notes) == 1
    assert "the whole file was rewritten in sclearn's own layout" in doc.notes[0]
    assert "these comments were lost: # mine" in doc.notes[0]
