"""The YAML layer: byte-identical round trips, atomic and conflict-safe writes, safe reading."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sclearn.core.errors import ConflictError, InvalidFileError
from sclearn.files.decode import decode_source, read_source
from sclearn.files.parser import parse_plain
from sclearn.files.roundtrip import dump_text, load_document, save_document
from sclearn.files.write import atomic_write

HAND_WRITTEN = """\
# comment at the top
sclearn: 1
framework: {id: derbyshire-scr, version: "1.0"}
owner:
  kind: individual     # me
  name: 'Siân O''Brien'
  members: [A, B]
dates:
  started: 2026-11-26
  reviewed: ~
points:
  child-focus:
    pledges:
      - first  # a pledge
      - "second: with colon"
      - >-
        folded text that is long
        and continues
    signs_of_success:
      - |
        literal
        block


    x-mine: keep me
    good_practice: ['a very long line that goes on and on and on and on and on and on and on and \
and on and on and on']
"""


def resave(path: Path) -> bytes:
    """Load and write back unconditionally (save_document would skip an unchanged file)."""
    doc = load_document(path)
    text = dump_text(doc)
    atomic_write(path, _encode(doc, text), expected_digest=doc.source.digest)
    return path.read_bytes()


def _encode(doc, text: str) -> bytes:  # type: ignore[no-untyped-def]
    """The bytes a file with this text has, in the document's line endings and BOM."""
    data = text.replace("\n", doc.source.newline).encode("utf-8")
    return b"\xef\xbb\xbf" + data if doc.source.bom else data


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_load_then_save_is_byte_identical(
    tmp_path: Path, new_file: Callable[..., Path], prefix: bytes, newline: bytes
) -> None:
    above_start = b"# written by hand, above the document start\n\n---\nsclearn: 1\nx: [a]\n"
    for source in (new_file(reflection=True).read_bytes(), HAND_WRITTEN.encode(), above_start):
        path = tmp_path / "x.pledge.yaml"
        raw = prefix + source.replace(b"\n", newline)
        path.write_bytes(raw)
        assert resave(path) == raw


def test_a_change_touches_only_its_lines(new_file: Callable[..., Path]) -> None:
    path = new_file()
    before = path.read_text(encoding="utf-8").split("\n")
    doc = load_document(path)
    doc.data["points"]["assessment"]["pledges"].append("use chronologies: always")
    assert save_document(doc)
    after = path.read_text(encoding="utf-8").split("\n")
    import difflib

    changed = [ln for ln in difflib.ndiff(before, after) if ln[:1] in "+-"]
    assert changed == [
        "-     pledges: []",
        "+     pledges:",
        "+       - 'use chronologies: always'",
    ]


def test_save_without_change_writes_nothing(new_file: Callable[..., Path]) -> None:
    path = new_file()
    mtime = path.stat().st_mtime_ns
    assert save_document(load_document(path)) is False
    assert path.stat().st_mtime_ns == mtime


def test_write_refused_when_file_changed_on_disk(new_file: Callable[..., Path]) -> None:
    path = new_file()
    doc = load_document(path)
    path.write_text(path.read_text(encoding="utf-8") + "# a colleague's edit\n", encoding="utf-8")
    doc.data["owner"]["name"] = "Someone else"
    with pytest.raises(ConflictError, match="changed on disk"):
        save_document(doc)
    assert "a colleague's edit" in path.read_text(encoding="utf-8")
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_new_file_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("mine\n", encoding="utf-8")
    with pytest.raises(ConflictError, match="already exists"):
        atomic_write(path, b"theirs\n", expected_digest=None)
    assert path.read_text(encoding="utf-8") == "mine\n"


# Arbitrary user text: quotes, colons, '#', leading dashes, emoji, Welsh and Polish, new lines.
user_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.sampled_from(
        [
            "Siân ap Rhys",
            "Zażółć gęślą jaźń",
            "- not a list",
            "a: b # c",
            "'quoted'",
            '"double"',
            "🙂 emoji",
            "line one\nline two",
            "@mention",
            "=SUM(A1)",
            "  leading spaces",
            "trailing spaces  ",
            "null",
            "yes",
            "~",
            "2027-02-30",
            "{{ jinja }}",
            "%TAG",
            "key: value\n- item",
            "\ttab",
        ]
    ),
)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(user_text, min_size=1, max_size=4), name=user_text)
def test_any_user_text_round_trips(
    tmp_path: Path, new_file: Callable[..., Path], values: list[str], name: str
) -> None:
    path = tmp_path / "p.pledge.yaml"
    if not path.exists():
        new_file("Round Trip")
        (tmp_path / "round-trip.pledge.yaml").rename(path)
    doc = load_document(path)
    doc.data["points"]["child-focus"]["pledges"] = values
    doc.data["owner"]["role"] = name
    save_document(doc)
    data, _ = parse_plain(read_source(path))
    assert data["points"]["child-focus"]["pledges"] == values
    assert data["owner"]["role"] == name
    # And a second load/save with no change leaves the bytes alone.
    raw = path.read_bytes()
    assert save_document(load_document(path)) is False
    assert path.read_bytes() == raw


# --- hostile and broken input -----------------------------------------------------------------

HOSTILE = {
    "alias bomb": (b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "anchor"),
    "alias": (b"a: 1\nb: *a\n", "alias"),
    "python tag": (b"a: !!python/object/apply:os.system [echo hi]\n", "tag"),
    "custom tag": (b"a: !secret x\n", "tag"),
    "deep nesting": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nests deeper"),
    "duplicate keys": (b"a: 1\nb: 2\na: 3\n", "appears twice"),
    "tab indent": (b"a:\n\tb: 1\n", "tab"),
    "utf-16": ("a: 1\n".encode("utf-16"), "UTF-16"),
    "windows-1252": ("name: Siân\n".encode("cp1252"), "Windows-1252"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    "two documents": (b"a: 1\n---\nb: 2\n", "more than one"),
    "syntax": (b"a: [1, 2\n", "never closed"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_gets_one_located_message(tmp_path: Path, name: str) -> None:
    raw, expected = HOSTILE[name]
    path = tmp_path / "x.pledge.yaml"
    path.write_bytes(raw)
    with pytest.raises(InvalidFileError) as info:
        parse_plain(read_source(path))
    problem = info.value.problems[0]
    assert expected in problem.message
    assert problem.line is not None and problem.path == path


def test_windows_1252_message_names_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\nname: Siân\n".encode("cp1252"))
    with pytest.raises(InvalidFileError) as info:
        read_source(path)
    p = info.value.problems[0]
    assert (p.line, "'â'" in p.message, "UTF-8" in (p.hint or "")) == (2, True, True)


def test_unreadable_paths(tmp_path: Path) -> None:
    folder = tmp_path / "x.pledge.yaml"
    folder.mkdir()
    link = tmp_path / "gone.pledge.yaml"
    link.symlink_to(tmp_path / "nowhere")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 3_000_000)
    for path, expected in (
        (folder, "is a folder"),
        (link, "does not exist"),
        (tmp_path / "missing.yaml", "no such file"),
        (big, "more than"),
    ):
        with pytest.raises(InvalidFileError, match=expected):
            read_source(path)


def test_size_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n" * 100)
    monkeypatch.setenv("SCLEARN_MAX_FILE_BYTES", "100")
    with pytest.raises(InvalidFileError, match="limit of 100 bytes"):
        read_source(path)


def test_plain_values_are_never_guessed() -> None:
    data, locs = parse_plain(
        decode_source(
            Path("x"), b"phone: 01773 000000\nn: 0755\nv: 1.0\nok: yes\nd: 2027-02-30\ne:\nf: ~\n"
        )
    )
    assert data == {
        "phone": "01773 000000",
        "n": "0755",
        "v": "1.0",
        "ok": "yes",
        "d": "2027-02-30",
        "e": None,
        "f": None,
    }
    assert locs.find(("d",)) == (5, 1)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InvalidFileError, match="cannot be read"):
        read_source(path)
