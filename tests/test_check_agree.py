"""`check` writes the same for every file through the fast, pooled path and the careful one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sclearn.cli.reports import ReportWriter
from sclearn.files.frameworks import Catalogue
from sclearn.services.check import Checker
from sclearn.services.workers import each

from .corpus import generate

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 26)


def _varied(folder: Path) -> list[Path]:
    """Valid, incomplete and invalid files, broken YAML, duplicate keys, personal data, traps."""
    generate(folder / "corpus", 40, seed=3, as_of=AS_OF)
    for src in [*ROOT.glob("examples/*.pledge.yaml"), *ROOT.glob("tests/mistakes/*.yaml")]:
        shutil.copy(src, folder / src.name)
    for src in ROOT.glob("tests/hostile/*.pledge.yaml"):
        shutil.copy(src, folder / f"hostile-{src.name}")
    base = (ROOT / "examples" / "jo-hartley.pledge.yaml").read_text(encoding="utf-8")
    variants = {
        "duplicate": base.replace("  kind: individual\n", "  kind: individual\n  kind: team\n"),
        "privacy": base.replace(
            '  role: "Social Worker"',
            '  role: "Social Worker"\n  x-note: call Sam on 07700 900123, DOB 12/03/2015',
        ),
        "comment": base.replace('  role: "Social Worker"', "  role: Social Worker #2"),
        "flow": base.replace('  role: "Social Worker"', "  members: [Sam Patel, and Alex]"),
        "members": base.replace(
            '  role: "Social Worker"', "  members:\n    - Sam Patel, Alex Morgan"
        ),
        "glued": base.replace('  role: "Social Worker"', "  role: Social\n    - Worker"),
        "anchor": base.replace('  role: "Social Worker"', "  role: &r Social Worker"),
    }
    for name, text in variants.items():
        assert text != base, name
        (folder / f"{name}.pledge.yaml").write_text(text, encoding="utf-8")
    return sorted(folder.rglob("*.pledge.yaml"))


@pytest.mark.parametrize("privacy", ["warn", "strict"])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_fast_pooled_and_careful_write_the_same(tmp_path: Path, fmt: str, privacy: str) -> None:
    files = _varied(tmp_path)
    catalogue = Catalogue.load()
    outputs = []
    for fast, workers in ((False, 1), (True, 2)):
        check = Checker(catalogue, "auto", AS_OF, privacy, fast=fast)  # type: ignore[arg-type]
        writer = ReportWriter(check, fmt, 80, verbose=False, terminal=False)
        # threshold=1: workers even for this small folder
        outputs.append(list(each(writer, files, workers=workers, threshold=1)))
    assert outputs[0] == outputs[1]
    statuses = {status for status, _ in outputs[0]}
    assert statuses == {"complete", "incomplete", "invalid"}


def test_rich_lines_are_the_same(tmp_path: Path) -> None:
    files = _varied(tmp_path)
    catalogue = Catalogue.load()
    shown = []
    for fast in (False, True):
        writer = ReportWriter(Checker(catalogue, as_of=AS_OF, fast=fast), terminal=True)
        shown.append([[(t.plain, t.spans, t.style) for t in writer(f)[1]] for f in files])
    assert shown[0] == shown[1]


def test_wrap_is_textwrap() -> None:
    """The report's wrapper gives what textwrap gives, for lines that fit and lines that do not."""
    import random
    import textwrap

    from sclearn.cli.views import wrap

    rng = random.Random(5)
    alphabet = ["word", "a", " ", "  ", "\t", "-", "long-hyphenated-word", "é", "\xa0", "`x y`"]
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        width = rng.randint(5, 90)
        expected = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        assert wrap(text, width) == expected, (text, width)


def test_a_file_with_a_trap_is_never_ruled_out(tmp_path: Path) -> None:
    """``may_have_traps`` is False only for a file in which ``traps`` finds nothing: checked
    on every kind of file, and with each kind of trap typed into each text of a pledge."""
    import random

    from sclearn.files.decode import decode_source, read_source
    from sclearn.files.lint import may_have_traps, traps
    from sclearn.files.parser import parse_plain

    sources = []
    for path in _varied(tmp_path):
        try:
            sources.append(read_source(path))
        except Exception:  # not text at all: nothing to look for
            continue
    base = (ROOT / "examples" / "jo-hartley.pledge.yaml").read_text(encoding="utf-8")
    lines = base.split("\n")
    texts = [i for i, line in enumerate(lines) if line.strip().startswith("- ") and len(line) > 8]
    rng = random.Random(11)
    typed = [" # a note", "\n" + " " * 3 + "- glued", ", and more", " & Alex Morgan", " #x"]
    for _ in range(150):
        i = rng.choice(texts)
        edited = [*lines]
        edited[i] = edited[i] + rng.choice(typed)
        if rng.random() < 0.3:
            indent = edited[i][: len(edited[i]) - len(edited[i].lstrip())]
            edited[i] = f"{indent}- [{rng.choice(['a, b', 'see them, and listen'])}]"
        sources.append(decode_source(tmp_path / "edited.pledge.yaml", "\n".join(edited).encode()))
    ruled_out = 0
    for src in sources:
        try:
            data = parse_plain(src)[0]
        except Exception:  # not a file the careful parser accepts: no trap is looked for
            continue
        if not may_have_traps(src.text, data):
            ruled_out += 1
            assert traps(src) == [], src.path
    assert ruled_out  # the shortcut is taken for some files, or this proves nothing


def test_the_trap_mark_search_is_the_regular_expression_it_stands_for() -> None:
    """``trap_marked`` tries ``_TRAP_TEXT`` only on lines holding ' #' or '[': the same answer
    as searching the whole text, on random texts made of what the expression looks at."""
    import random

    from sclearn.files.lint import _TRAP_TEXT, trap_marked

    rng = random.Random(5)
    alphabet = [" ", " ", "#", " #", "[", "]", "\n", "\n", "a", "b", "-", "\t", ":", "x #y"]
    alphabet += ['"', "'"]
    found = 0
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        expected = bool(_TRAP_TEXT.search(text))
        assert trap_marked(text) == expected, text
        found += expected
    assert 500 < found < 4_500  # both answers are common, or this proves little


@pytest.mark.parametrize("fmt", ["json", "csv", "text"])
def test_status_is_the_same_through_the_fast_parser(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    """`status` reads a folder with the fast parser, naming no line of a valid file: the board
    and the files it could not read are what the careful parser gives."""
    from sclearn.files.parser import CAREFUL
    from sclearn.services import status

    folder = tmp_path / "pledges"
    folder.mkdir()
    for path in _varied(tmp_path / "varied"):
        shutil.copy(path, folder / f"{path.parent.name}-{path.name}")
    args = ["status", folder, "--as-of", AS_OF.isoformat()]
    if fmt != "text":
        args += ["--format", fmt]
    fast = run(*args)
    monkeypatch.setattr(status, "FAST_UNLOCATED", CAREFUL)
    careful = run(*args)
    assert (fast.code, fast.out, fast.err) == (careful.code, careful.out, careful.err)
    assert "line" in careful.out + careful.err  # the unreadable files are located
