"""``files.locate`` finds exactly the careful parser's lines and columns, or gives up.

For every file the fast parser reads, the walk over its indentation must give the same key
and value tables as libyaml's node tree, or None (then the careful parser is asked). Checked
on hand-written edge cases, the corpora and thousands of mutated files; and the walk must
really follow most files, or it saves nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from sclearn.core.source import SourceText
from sclearn.files.decode import decode_source
from sclearn.files.fastparse import FAST, FastParser
from sclearn.files.locate import locate
from sclearn.files.parser import parse_plain

from .conftest import EXAMPLES
from .corpus import generate
from .test_fastparse import sources

TESTS = Path(__file__).parent
pytestmark = pytest.mark.skipif(not FastParser().available, reason="yaml_rs is not installed")


def _src(text: str) -> SourceText:
    return decode_source(Path("f.pledge.yaml"), text.encode("utf-8"))


def outcome(src: SourceText) -> str:
    """ "skipped" (the fast parser does not read it), "followed" (the walk's tables are the
    careful parser's) or "gave up"; fails if the walk gives any other tables."""
    data = FAST.fast(src)  # type: ignore[attr-defined]
    if data is FAST:
        return "skipped"
    found = locate(src.text, data)
    if found is None:
        return "gave up"
    careful = parse_plain(src)[1]
    assert (found.keys, found.values) == (careful.keys, careful.values), src.text
    return "followed"


FOLLOWED = [
    "a:\nb: x\n",
    "a:   # note\nb: x\n",
    "a:\n\n# note\n  \nb: x\n",
    "---\n# c\na: x\n",
    "a:\n  - x\n  -\n  - 'y'\nb:\n- z\n- |\n  lit\n\n  more\nc: >-\n  f\n",
    "a:\n  k: v\n  j:\nz:",
    "- a: x\n  b: y\n- - x\n  - y\n-\n- # empty\n",
    "a: x\n  y\n\n  z\nb: \"q\n  r\"\nc: 'it''s\n  so'\n",
    'a: {id: x, version: "1.0"}\nb: []\nc: {}\nd: [x, \'y\', "z", ]\ne: {f: [g, {h: i}]}\n',
    "a:\n  \"on\": x\n  'off': y\n",
    "a:\n  -\n    b: c\n  - d: |\n      e\n    f: g\n",
    'a: "with \\" a quote" # and a comment\nb: \'\' \n',
    "a:\n  b:\n  - x\n  - y\n  c: d\n",
    "a: x # note\n  # not text\nb: y\n",
    "a: |+\n  keep\n\nb: >\n  folded\n  # text, not a note\nc: x\n",
    "a:\n  text on the next line\n  and the one after\nb: y\n",
    "a: x - y\n",
]


@pytest.mark.parametrize("text", FOLLOWED)
def test_the_walk_follows_the_usual_shapes(text: str) -> None:
    assert outcome(_src(text)) == "followed"


@pytest.mark.parametrize(
    "text",
    [
        "a: [x,\n  y]\n",  # a flow list over two lines
        "a: |2\n   x\n",  # an indentation indicator
        "some key: x\n",  # a key sclearn never writes
        "a: {b: }\n",  # an empty value in a flow mapping
        "a: [b: c]\n",  # a mapping of one pair inside a flow list
    ],
)
def test_the_walk_gives_up_on_what_it_does_not_follow(text: str) -> None:
    assert outcome(_src(text)) in ("gave up", "skipped")


def test_the_data_decides_whether_the_walk_is_right() -> None:
    """Tables that do not name exactly the data's keys and values are never given."""
    text = "a: x\nb:\n  - y\n"
    assert locate(text, {"a": "x", "b": ["y"]}) is not None
    assert locate(text, {"a": "x", "b": ["y"], "c": None}) is None  # a key not found
    assert locate(text, {"a": "x", "b": ["y", "z"]}) is None  # an item not found
    assert locate(text, {"a": "x"}) is None  # a key the data lacks
    assert locate(text, {"a": {"x": None}, "b": ["y"]}) is None  # text where a mapping is
    assert locate("", None) is not None
    assert locate("", {}) is None


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, 200, seed=9, as_of=dt.date(2026, 11, 26))
    return folder


def test_every_corpus_file_is_located_as_the_careful_parser_does(generated: Path) -> None:
    for src in sources(TESTS / "hostile", TESTS / "mistakes", EXAMPLES):
        outcome(src)
    seen = [outcome(src) for src in sources(generated)]
    read = [x for x in seen if x != "skipped"]
    assert len(read) > 150
    assert read.count("followed") > 0.95 * len(read)  # the walk pays for nearly every file


# What mutations type: the marks the walk follows, in many combinations.
_PIECES = [
    " ", "  ", "\n", "\n  ", "\n- ", "- ", "-", ":", ": ", "#", " #", "'", '"', "''", '\\"',
    "[", "]", "{", "}", ", ", "|", ">", "|-", "a", "x: y", "\n    ", "on",
]  # fmt: skip


def _mutations(base: str, count: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    seen: dict[str, int] = {"skipped": 0, "followed": 0, "gave up": 0}
    for _ in range(count):
        text = base
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(text))
            cut = rng.choice([0, 0, 1, 2, 5, 20])
            typed = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 4)))
            text = text[:at] + typed + text[at + cut :]
        try:
            parse_plain(_src(text))
        except Exception:  # neither parser accepts it: nothing to locate
            seen["skipped"] += 1
            continue
        seen[outcome(_src(text))] += 1
    return seen


def _bases(generated: Path) -> list[str]:
    example = (EXAMPLES / "jo-hartley.pledge.yaml").read_text(encoding="utf-8")
    first = sorted(generated.rglob("*.pledge.yaml"))[0].read_text(encoding="utf-8")
    return [example, first]


def test_mutated_files_are_located_as_the_careful_parser_does(generated: Path) -> None:
    seen: dict[str, Any] = {}
    for n, base in enumerate(_bases(generated)):
        for k, v in _mutations(base, 600, seed=n).items():
            seen[k] = seen.get(k, 0) + v
    assert seen["followed"] > 300, seen


@pytest.mark.slow
def test_many_more_mutated_files_are_located_as_the_careful_parser_does(
    generated: Path,
) -> None:
    for n, base in enumerate(_bases(generated)):
        assert _mutations(base, 3_000, seed=100 + n)["followed"] > 500
