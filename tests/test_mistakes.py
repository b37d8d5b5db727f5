"""Natural mistakes, each a small file in tests/mistakes/, and what `check` says of each.

Every file starts with ``# expect line N: TEXT``: `check` must report a problem on line N whose
message or hint holds TEXT, and nothing it says may use the parser's or Python's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sclearn.core.errors import Problem
from sclearn.files.frameworks import Catalogue
from sclearn.services.check import check_file

MISTAKES = sorted((Path(__file__).parent / "mistakes").glob("*.pledge.yaml"))
EXPECT = re.compile(r"# expect line (\d+): (.+)")
# What a parser or a programmer would say, and a practitioner would not understand.
JARGON = re.compile(
    r"\b(mapping|scalar|block|flow|node|token|str|int|float|bool|dict|"
    r"NoneType|list\[|ScannerError|ParserError)\b",
    re.IGNORECASE,
)


def _said(p: Problem) -> str:
    return f"{p.message} {p.hint or ''}"


def test_the_corpus_is_large_enough() -> None:
    assert len(MISTAKES) >= 40


@pytest.mark.parametrize("path", MISTAKES, ids=lambda p: p.stem.split(".")[0])
def test_each_mistake_is_located_and_plain(path: Path, catalogue: Catalogue) -> None:
    m = EXPECT.match(path.read_text(encoding="utf-8"))
    assert m, f"{path.name} has no '# expect line N: TEXT' first line"
    line, text = int(m.group(1)), m.group(2)
    report = check_file(path, catalogue)
    assert report.problems
    found = [p for p in report.problems if p.line == line and text in _said(p)]
    assert found, "\n".join(f"{p.line}: {_said(p)}" for p in report.problems)
    for p in report.problems:
        assert not JARGON.search(_said(p)), _said(p)
        if p.severity == "error" and report.status == "invalid":
            assert report.readable


def test_an_invalid_file_has_a_mistake_and_an_unreadable_file_cannot_be_read(
    run, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    r = run("check", MISTAKES[0])
    assert r.code == 2 and "has a mistake on line 13" in r.out and "cannot be read" not in r.out
    binary = tmp_path / "photo.pledge.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x00\x00\x00")
    r = run("check", binary)
    assert r.code == 2 and "cannot be read" in r.out
