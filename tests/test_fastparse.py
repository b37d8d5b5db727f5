"""The fast parser path gives exactly what the careful one gives, file by file.

Every file of the hostile corpus, the mistakes corpus, the examples, a generated corpus and
mutated copies of them is read through both paths; the results must be equal: the same data and
locations for an accepted file, the same located messages for a refused one, the same
collation figures.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sclearn.core.errors import InvalidFileError
from sclearn.core.source import SourceText
from sclearn.files import fastparse
from sclearn.files.decode import decode_source
from sclearn.files.fastparse import FAST, FAST_UNLOCATED, FastParser
from sclearn.files.frameworks import Catalogue
from sclearn.files.parser import CAREFUL, Parser
from sclearn.files.pledges import parse_pledge
from sclearn.services.collate import summary

from .conftest import EXAMPLES
from .corpus import generate

TESTS = Path(__file__).parent
pytestmark = pytest.mark.skipif(not FastParser().available, reason="yaml_rs is not installed")


def _src(text: str, name: str = "f.pledge.yaml") -> SourceText:
    return decode_source(Path(name), text.encode("utf-8"))


def parsed(src: SourceText, parser: Parser) -> Any:
    """What a parser makes of a file: data and every location, or its messages."""
    try:
        data, locs = parser.parse(src)
    except InvalidFileError as exc:
        return ("refused", exc.problems)
    return ("accepted", data, dict(locs.keys), dict(locs.values))


def loaded(src: SourceText, catalogue: Catalogue, parser: Parser) -> Any:
    """What loading a pledge file gives: the model and its locations, or the messages."""
    try:
        lp = parse_pledge(src, catalogue, parser)
    except InvalidFileError as exc:
        return ("invalid", exc.problems)
    return ("valid", lp.pledge, lp.framework.ref, dict(lp.locs.keys), dict(lp.locs.values))


def agree(src: SourceText, catalogue: Catalogue) -> None:
    assert parsed(src, FAST) == parsed(src, CAREFUL)
    assert loaded(src, catalogue, FAST) == loaded(src, catalogue, CAREFUL)


def sources(*folders: Path) -> list[SourceText]:
    out = []
    for folder in folders:
        for path in sorted(folder.rglob("*.yaml")):
            try:
                out.append(decode_source(path, path.read_bytes()))
            except InvalidFileError:  # not text: both paths refuse it before parsing
                continue
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, 120, seed=3, as_of=dt.date(2026, 11, 26))
    return folder


def test_every_corpus_file_reads_the_same(generated: Path, catalogue: Catalogue) -> None:
    files = sources(TESTS / "hostile", TESTS / "mistakes", EXAMPLES, generated)
    assert len(files) > 150
    for src in files:
        agree(src, catalogue)
    # Not vacuous: most generated files really take the fast path.
    fast = [s for s in sources(generated) if FAST.fast(s) is not FAST]  # type: ignore[attr-defined]
    assert len(fast) > 100


def test_collation_figures_are_the_same(generated: Path, catalogue: Catalogue) -> None:
    files = [str(p) for p in sorted(generated.rglob("*.pledge.yaml"))]
    fast = [summary.Reader(catalogue, True, []).read(f) for f in files]
    careful = [summary.Reader(catalogue, True, [], CAREFUL).read(f) for f in files]
    for a, b in zip(fast, careful, strict=True):
        assert (a.path, a.summary, a.items) == (b.path, b.summary, b.items)
    assert sum(isinstance(r.summary, summary.Unreadable) for r in fast) > 0


BASE = (EXAMPLES / "jo-hartley.pledge.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "value",
    [
        "01773 000000",
        "1.0",
        "yes",
        "true",
        "0x1F",
        "1_000",
        "2026-01-01",
        "~",
        "null",
        "''",
        '"A&E"',
        "A&E and Children & Families",
        "&a text",
        "*a",
        "!!str x",
        "! x",
        "[a, b]",
        "{a: b}",
        "|\n      block\n       text\n",
        ">-\n      folded\n      text\n",
        '"escaped \\t tab"',
        '"quoted \\"words\\" and \\\\ and \\n"',
        '"\\u00e9 \\x41 \\/ \\N \\_"',
        "text # a comment",
        "'it''s'",
    ],
)
def test_values_are_read_as_written(value: str, catalogue: Catalogue) -> None:
    text = BASE.replace("  role: ", f"  role: {value}\n  x-was: ", 1)
    assert text != BASE
    agree(_src(text), catalogue)


@pytest.mark.parametrize(
    "text",
    [
        "sclearn: 1\nsclearn: 1\n",
        "a: 1\nb:\n  c: x\n  c: y\n",
        "1: a\n'1': b\n",
        "sclearn: 01\n",
        "sclearn: +1\n",
        "sclearn: 0x1\n",
        "sclearn: true\n",
        "sclearn: 1\nx-n: 2\n",
        "? [a]\n: b\n",
        "a: b\n---\nc: d\n",
        "---\na: b\n---\nc: d\n",
        "---\na: b\n...\n",
        "--- a: b\n",
        "# c\n---\na: b\n",
        "%YAML 1.1\n---\na: b\n",
        "a: [" * 30 + "]" * 30 + "\n",
        "".join(" " * i + "k:\n" for i in range(40)),
        "a: b\tc\n",
        "a: \u2028b\n",
        "\ufeffa: b\n",
        "a: b\x85c\n",
        "<<: {a: b}\n",
        "~: a\n",
        "null: a\n",
        "a: b: c\n",
        "",
        "# only a comment\n",
        "just text\n",
        "- a\n- b\n",
    ],
)
def test_edge_cases_are_read_the_same(text: str, catalogue: Catalogue) -> None:
    agree(_src(text), catalogue)


ALPHABET = list("ab:- \n\t#&*!|>'\"[]{},?%@`~0123456789é\r\\<")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    at=st.integers(min_value=0, max_value=len(BASE)),
    cut=st.integers(min_value=0, max_value=12),
    insert=st.text(st.sampled_from(ALPHABET), max_size=8),
)
def test_mutated_files_read_the_same(at: int, cut: int, insert: str) -> None:
    agree(_src(BASE[:at] + insert + BASE[at + cut :]), Catalogue.load())


def test_without_the_wheel_every_file_is_read_carefully(
    monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue
) -> None:
    def missing(name: str) -> Any:
        raise ImportError(name)

    monkeypatch.setattr(fastparse.importlib, "import_module", missing)
    parser = FastParser()
    assert not parser.available
    src = _src(BASE)
    assert parser.fast(src) is parser
    assert loaded(src, catalogue, parser) == loaded(src, catalogue, CAREFUL)
    monkeypatch.undo()
    monkeypatch.setenv("SCLEARN_PARSER", "careful")
    assert not FastParser().available


def test_a_valid_file_finds_its_lines_only_when_asked(catalogue: Catalogue) -> None:
    src = _src(BASE)
    _, locs = FAST.parse(src)
    assert locs._src is src  # type: ignore[attr-defined]  # nothing read yet
    assert locs.find(("owner", "name")) == CAREFUL.parse(src)[1].find(("owner", "name"))
    _, none = FAST_UNLOCATED.parse(src)
    assert none.find(("owner", "name")) == (None, None)


# The scan as one regular expression: the plainest statement of it, too slow to use (it tries
# every branch at every character); the scan in fastparse must give the same answer.
_DOUBT = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|(?:^|[\s\[{,:])[&*][^\s\[\]{},]"
    r"|(?:^|[\s\[{,:])!|<<|\\(?![\"\\nt])"
    r"|^(?:%|---|\.\.\.)|(?:^|\s)\?(?:\s|$)",
    re.MULTILINE,
)


_TOKENS = [*'ab :,[]{}&*!?<\\"nt.%-\n\t\u00a0\u2028é', "---", "...", "<<", "\\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join), st.booleans())
@example(":&a", False)
@example("\u00a0*a", False)
@example("a&E", False)
@example("[!x]", False)
@example("why?", False)
@example("a ? b", False)
@example("x\\q", False)
@example("\\", False)
@example("...", True)
def test_the_doubt_scan_is_the_regular_expression_it_stands_for(text: str, marker: bool) -> None:
    text = "---\n" + text if marker else text
    start = 4 if text.startswith("---\n") else 0
    assert fastparse._doubtful(text, start) == bool(_DOUBT.search(text, start)), repr(text)
