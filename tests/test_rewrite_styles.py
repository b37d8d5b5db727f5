"""Rewrites touch only what changes, whatever the file's style.

A corpus of style variants of one pledge (indentation, list style, line endings, BOM, document
markers, comments in odd places, folded and quoted text, blank lines, long lines, ways of
writing "nothing") goes through real commands: `review --point`, `review --scaffold` and
`migrate`. Every line of the original must come out byte-identical except the few lines the
edit is about; new lines must sit where the edit belongs, in the file's own line ending.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.parser import parse_plain
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import load_document, save_document
from sclearn.services.migrate import migrate
from sclearn.services.review import Session, scaffold

from .conftest import EXAMPLES, ROOT

BASE = (EXAMPLES / "erewash-health-visiting-team.pledge.yaml").read_text(encoding="utf-8")
POINT = "assessment"  # point 4, the one `review --point 4` edits

Transform = Callable[[str], str]


# --- building the variants ---------------------------------------------------------------------


def reindent(mapping: int, offset: int) -> Transform:
    """Re-lay the 2-space file with ``mapping`` spaces per level and list dashes ``offset``
    spaces in from their key; comments follow the line below them."""

    def run(text: str) -> str:
        lines = text.split("\n")
        new: list[int | None] = [None] * len(lines)
        stack: list[tuple[int, int, bool]] = []  # (old indent, new indent, is a "- " item)
        for i, line in enumerate(lines):
            body = line.lstrip(" ")
            if not body or body.startswith("#"):
                continue
            old = len(line) - len(body)
            while stack and stack[-1][0] >= old:
                stack.pop()
            if not stack:
                col = 0
            elif stack[-1][2]:
                col = stack[-1][1] + 2
            else:
                col = stack[-1][1] + (offset if body.startswith("- ") else mapping)
            new[i] = col
            stack.append((old, col, body.startswith("- ")))
        out = []
        following: int | None = 0
        for i in range(len(lines) - 1, -1, -1):
            line = lines[i]
            body = line.lstrip(" ")
            col = new[i]
            if col is None:  # a comment or blank line: as deep as the line below it
                col = following if body and following is not None else 0
            else:
                following = col
            out.append(" " * col + body if body else line)
        return "\n".join(reversed(out))

    return run


def sub(old: str, new: str, count: int = 1) -> Transform:
    def run(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return run


def in_point(old: str, new: str) -> Transform:
    """Replace text inside point 4 only."""

    def run(text: str) -> str:
        start = text.index(f"  {POINT}:\n")
        end = text.index("\n\n", start)
        block = text[start:end]
        assert old in block, old
        return text[:start] + block.replace(old, new, 1) + text[end:]

    return run


def every_nth_line(n: int, change: Callable[[str], str]) -> Transform:
    def run(text: str) -> str:
        return "\n".join(change(ln) if i % n == 0 else ln for i, ln in enumerate(text.split("\n")))

    return run


EXISTING_REVIEW = in_point(
    '    skip: ""',
    '    skip: ""\n    review:\n      evidence:\n'
    "        - {text: First audit, source: SR}  # from March\n"
    '      progress:\n      notes: ""',
)
MULTILINE_FLOW = sub(
    '  members:\n    - "Helen Price"\n    - "Marek Nowak"\n    - "Gwen Davies"',
    '  members: ["Helen Price",  # lead\n    "Marek Nowak",\n    # part time\n    "Gwen Davies"]',
)
FLOW_IN_POINT = in_point(
    "    helps:\n      - electronic record alerts",
    "    helps: [electronic record alerts,  # since May\n      the named nurse]",
)
FLOW_LAST_IN_POINT = in_point(
    '    # Only if you make no pledge for this point: say why\n    skip: ""',
    "    x-links: [one,  # first\n      two]",
)
PLAIN_MULTILINE = sub(
    '    discussion: ""',
    "    discussion: we talked this through\n"
    "      at the team meeting and agreed\n      to start in May",
    3,
)
PLAIN_MULTILINE_LAST = in_point(
    '    skip: ""', "    x-mine: a note of my own that\n      runs over two lines"
)
FOLDED = sub('    discussion: ""', "    discussion: >\n      folded text\n      over lines\n", 2)
LITERAL_LAST = in_point('    skip: ""', "    x-mine: |\n      literal text\n        kept as is\n")
LONG = "a very long line " * 20
EOL_ON_SKIP = in_point('    skip: ""', '    skip: ""  # nothing to skip')
EOL_ON_LAST_ITEM = in_point(
    "      - assessments explain what each new event means for the child",
    "      - assessments explain what each new event means for the child   # my words",
)


@dataclass(frozen=True)
class Variant:
    name: str
    transforms: tuple[Transform, ...] = ()
    newline: str = "\n"  # "\n", "\r\n", "\r" or "mixed"
    bom: bool = False
    final_newline: bool = True

    def text(self) -> str:
        text = BASE
        for change in self.transforms:
            text = change(text)
        if not self.final_newline:
            text = text.rstrip("\n")
        if self.newline == "mixed":
            parts = text.split("\n")
            return (
                "".join(p + ("\r\n" if i % 3 else "\n") for i, p in enumerate(parts[:-1]))
                + parts[-1]
            )
        return text.replace("\n", self.newline)

    def raw(self) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.text().encode("utf-8")


LAYOUTS = {
    f"indent{m}-dash{d}": reindent(m, d)
    for m, d in ((2, 0), (2, 2), (3, 0), (3, 2), (3, 3), (4, 0), (4, 2), (4, 4))
}

STYLES: dict[str, tuple[Transform, ...]] = {
    "trailing-spaces": (every_nth_line(3, lambda ln: ln + "  "),),
    # A tab after a plain value upsets PyYAML's scanner, so tabs go after comments only.
    "trailing-tabs-and-blank-spaces": (
        every_nth_line(2, lambda ln: ln + " \t" if ln.lstrip().startswith("#") else ln + " "),
        sub("\n\n", "\n   \n", 5),
    ),
    "no-start-marker": (sub("---\n", ""),),
    "end-marker": (lambda t: t + "...\n",),
    "end-marker-and-comment": (lambda t: t + "...\n# after the end\n",),
    "comment-above-start": (lambda t: "# my own note\n\n" + t,),
    "multi-line-flow-list": (MULTILINE_FLOW,),
    "flow-list-in-point": (FLOW_IN_POINT,),
    "flow-list-last-in-point": (FLOW_LAST_IN_POINT,),
    "eol-comment-on-last-key": (EOL_ON_SKIP,),
    "eol-comment-on-last-item": (EOL_ON_LAST_ITEM,),
    "eol-comment-on-last-evidence": (EXISTING_REVIEW,),
    "comment-below-last-key": (in_point('    skip: ""', '    skip: ""\n    # my note on skip'),),
    "comment-below-literal-block": (
        LITERAL_LAST,
        in_point("        kept as is", "        kept as is\n    # mine"),
    ),
    "multi-line-plain": (PLAIN_MULTILINE,),
    "multi-line-plain-last-in-point": (PLAIN_MULTILINE_LAST,),
    "folded-block": (FOLDED,),
    "literal-block-last-in-point": (LITERAL_LAST,),
    "single-quotes": (
        sub('name: "Erewash Health Visiting Team"', "name: 'Erewash Health Visiting Team'"),
        sub('team: "Health Visiting"', "team: 'Health Visiting'"),
    ),
    "no-quotes": (
        sub(
            '  agency: "Derbyshire Community Health Services NHS Foundation Trust"',
            "  agency: Derbyshire Community Health Services NHS Foundation Trust",
        ),
    ),
    "two-blank-lines-between-points": (sub("\n\n  # ", "\n\n\n  # ", 30),),
    "no-blank-lines-between-points": (sub("\n\n  # ", "\n  # ", 30),),
    "blank-lines-inside-point": (
        in_point("    # Factors that will help", "\n    # Factors that will help"),
    ),
    "long-lines": (
        sub("      - caseload size", f"      - {LONG}"),
        sub("# Check your file at any time", "# " + LONG),
    ),
    "reviewed-tilde": (sub("reviewed: null", "reviewed: ~"),),
    "reviewed-empty": (sub("reviewed: null", "reviewed:"),),
    "empty-values": (
        sub('  email: ""', "  email:", 2),
        sub('    discussion: ""', "    discussion: ~", 3),
    ),
    "space-before-colon": (sub('  district: "Erewash"', '  district : "Erewash"'),),
    "extra-space-after-dash": (
        sub("      - caseload size", "      -   caseload size"),
        sub('    - "Marek Nowak"', '    -   "Marek Nowak"'),
    ),
    "eol-comments-wide-apart": (
        sub('  team: "Health Visiting"', '  team: "Health Visiting"                    # far'),
    ),
    "block-framework-map": (
        sub(
            'framework: {id: derbyshire-scr, version: "1.0"}',
            'framework:\n  id: derbyshire-scr\n  version: "1.0"',
        ),
    ),
    "comment-at-end": (lambda t: t + "# the end of my file\n",),
}

# Line endings, BOM and the final newline, alone and combined.
BYTES: dict[str, dict[str, Any]] = {
    "crlf": {"newline": "\r\n"},
    "cr-only": {"newline": "\r"},
    "mixed-endings": {"newline": "mixed"},
    "bom": {"bom": True},
    "bom-crlf": {"bom": True, "newline": "\r\n"},
    "no-final-newline": {"final_newline": False},
    "crlf-no-final-newline": {"newline": "\r\n", "final_newline": False},
}


def variants() -> list[Variant]:
    out = [Variant(name, (layout,)) for name, layout in LAYOUTS.items()]
    out += [Variant(name, style) for name, style in STYLES.items()]
    out += [Variant(name, **how) for name, how in BYTES.items()]
    # The same again in a 4-space file with lists level with their key, and the bytes in a
    # 3-space one.
    out += [
        Variant(f"indent4-dash0+{name}", (*style, LAYOUTS["indent4-dash0"]))
        for name, style in STYLES.items()
        if name != "no-start-marker"
    ]
    for layout in ("indent4-dash0", "indent3-dash3"):
        out += [
            Variant(f"{layout}+{name}", (LAYOUTS[layout],), **how) for name, how in BYTES.items()
        ]
    out.append(
        Variant(
            "everything",
            (
                EXISTING_REVIEW,
                EOL_ON_SKIP,
                MULTILINE_FLOW,
                PLAIN_MULTILINE,
                LAYOUTS["indent4-dash2"],
                every_nth_line(5, lambda ln: ln + " "),
            ),
            newline="mixed",
            bom=True,
            final_newline=False,
        )
    )
    return out


VARIANTS = variants()


def test_the_corpus_is_large_and_valid() -> None:
    assert len(VARIANTS) >= 51
    assert len({v.raw() for v in VARIANTS}) == len(VARIANTS)  # no two variants alike
    plain = yaml.safe_load(BASE)
    for v in VARIANTS:
        data = yaml.safe_load(v.text().replace("\r\n", "\n").replace("\r", "\n"))
        assert data["points"][POINT]["pledges"] == plain["points"][POINT]["pledges"], v.name


# --- checking a rewrite ------------------------------------------------------------------------

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines_of(raw: bytes) -> list[str]:
    return _LINES.findall(raw.decode("utf-8"))


def dominant(text: str) -> str:
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=counts.__getitem__)


@dataclass
class Change:
    removed: list[tuple[int, str]]  # (index in the original, line)
    inserted: list[tuple[int, list[str]]]  # (index in the original it goes before, lines)


def compare(before: bytes, after: bytes) -> Change:
    """What a rewrite changed, line by line and byte for byte (line endings included)."""
    assert before.startswith(b"\xef\xbb\xbf") == after.startswith(b"\xef\xbb\xbf"), "BOM"
    old, new = lines_of(before), lines_of(after)
    ends = ("\n", "\r")
    assert old[-1].endswith(ends) == new[-1].endswith(ends), "final newline state changed"
    if not old[-1].endswith(ends):  # compare the last lines as if both had an ending
        nl = dominant(before.decode("utf-8"))
        old[-1] += nl
        new[-1] += nl
    change = Change([], [])
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            change.removed += [(i, old[i]) for i in range(i1, i2)]
        if tag in ("replace", "insert"):
            change.inserted.append((i1, new[j1:j2]))
    return change


def point_span(lines: list[str], key: str) -> tuple[int, int]:
    """Where point ``key`` starts and ends in a file's lines (the end excludes the blank lines
    and heading comments of the next point)."""
    start = next(i for i, ln in enumerate(lines) if ln.strip() == f"{key}:")
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip(" ")) <= indent
        ),
        len(lines),
    )
    while end > start + 1 and (
        not lines[end - 1].strip()
        or (
            lines[end - 1].lstrip().startswith("#")
            and len(lines[end - 1]) - len(lines[end - 1].lstrip(" ")) <= indent
        )
    ):
        end -= 1
    return start, end


def data_of(path: Path) -> Any:
    return parse_plain(read_source(path))[0]


def check_new_lines(change: Change, before: bytes) -> None:
    """New lines take the file's usual line ending; new comments line up with their key."""
    nl = dominant(before.decode("utf-8").removeprefix("\ufeff"))
    for _, block in change.inserted:
        for i, line in enumerate(block):
            body = line.rstrip("\r\n")
            if line.endswith(("\n", "\r")):
                assert line[len(body) :] == nl, f"new line {line!r} does not end with {nl!r}"
            if body.lstrip().startswith("#"):
                below = next((x for x in block[i + 1 :] if not x.lstrip().startswith("#")), None)
                if below is not None:
                    assert len(body) - len(body.lstrip()) == len(below) - len(below.lstrip()), (
                        f"comment {body!r} is not lined up with {below!r}"
                    )


# --- the rewrites ------------------------------------------------------------------------------


@pytest.fixture(params=VARIANTS, ids=[v.name for v in VARIANTS])
def variant(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Variant, Path]:
    # Flushing to the disk (for power cuts) is not what is tested here, and costs minutes.
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    v: Variant = request.param
    path = tmp_path / "erewash.pledge.yaml"
    path.write_bytes(v.raw())
    return v, path


def test_record_a_review(run, variant: tuple[Variant, Path]) -> None:  # type: ignore[no-untyped-def]
    v, path = variant
    before = path.read_bytes()
    old_data = data_of(path)
    r = run(
        "review",
        path,
        "--point",
        "4",
        "--evidence",
        "Audit: 12 of 12 updated",
        "--source",
        "MR",
        "--progress",
        "positive-change",
        "--notes",
        "Keep it up",
        "--date",
        "2027-04-01",
    )
    assert r.code == 0, r.text
    after = path.read_bytes()
    change = compare(before, after)
    old = lines_of(before)
    start, end = point_span(old, POINT)
    # Only the review date and the point's own review lines may change ...
    for i, line in change.removed:
        assert start < i < end and line.strip().startswith(("progress:", "notes:")), (
            f"{v.name}: line {i + 1} changed: {line!r}"
        )
    # ... and new lines go into the point, never under the next point's heading (the review's
    # start date goes into dates: one point does not finish the review).
    for i, block in change.inserted:
        if [x.strip() for x in block] == ["review_started: 2027-04-01"]:
            continue
        assert start < i <= end, f"{v.name}: lines added at line {i + 1}: {block}"
    check_new_lines(change, before)
    assert "rewritten" not in r.out, r.out  # nothing had to be re-laid
    # The file says what was meant, no more, no less.
    expected = copy.deepcopy(old_data)
    expected["dates"]["review_started"] = "2027-04-01"
    review = expected["points"][POINT].setdefault("review", {"evidence": []})
    review["evidence"] = [
        *(review.get("evidence") or []),
        {"text": "Audit: 12 of 12 updated", "source": "MR"},
    ]
    review.update(progress="positive-change", notes="Keep it up")
    assert data_of(path) == expected


def test_add_review_blocks(variant: tuple[Variant, Path], catalogue: Catalogue) -> None:
    v, path = variant  # through the functions `review --scaffold` calls, to save time
    before = path.read_bytes()
    old_data = data_of(path)
    session = Session(path, catalogue)
    assert scaffold(session.doc, session.lp) and session.save()
    assert session.doc.notes == []
    change = compare(before, path.read_bytes())
    assert change.removed == [], f"{v.name}: lines changed: {change.removed}"
    check_new_lines(change, before)
    expected = copy.deepcopy(old_data)
    for entry in expected["points"].values():
        if any((p or "").strip() for p in entry.get("pledges") or []) and "review" not in entry:
            entry["review"] = {"evidence": [], "progress": None, "notes": ""}
    assert data_of(path) == expected


@pytest.fixture(scope="module")
def edition_11(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A made-up 1.1 that only renames child-focus."""
    data = yaml.safe_load((ROOT / "framework/derbyshire-scr/1.0.yaml").read_text("utf-8"))
    data["version"] = "1.1"
    data["areas"][0]["points"][0]["id"] = "voice-of-the-child"
    data["migrates_from"] = {"1.0": {"renamed": {"child-focus": "voice-of-the-child"}}}
    folder = tmp_path_factory.mktemp("board") / "derbyshire-scr"
    folder.mkdir()
    (folder / "1.1.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder / "1.1.yaml"


def test_migrate(variant: tuple[Variant, Path], edition_11: Path) -> None:
    v, path = variant  # through the functions `migrate` calls, to save time
    before = path.read_bytes()
    old_data = data_of(path)
    catalogue = Catalogue.load([edition_11.parent.parent])
    source = read_source(path)
    doc = load_document(path, source)
    result = migrate(parse_pledge(source, catalogue), doc, catalogue, "1.1", dt.date(2027, 1, 1))
    assert save_document(doc)
    assert not [n for n in result.notes if "rewritten" in n], result.notes
    assert doc.notes == []
    change = compare(before, path.read_bytes())
    for _, line in change.removed:
        assert line.strip() in ("child-focus:", 'version: "1.0"') or line.startswith(
            "framework:"
        ), f"{v.name}: {line!r} changed"
    check_new_lines(change, before)
    expected = copy.deepcopy(old_data)
    expected["framework"]["version"] = "1.1"
    expected["points"] = {
        ("voice-of-the-child" if k == "child-focus" else k): p
        for k, p in expected["points"].items()
    }
    assert data_of(path) == expected
