"""Editing a user's YAML file without disturbing what they wrote.

``load_document``/``save_document`` use ruamel.yaml's round-trip mode for the commands that
change a file. ruamel's output is not written as it is: a three-way merge (``textmerge``)
applies only the lines the edit changed to the file as it was on disk, so its indentation,
line endings, trailing spaces, folded lines and comments stay byte-for-byte outside the change.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RuamelYAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from sclearn.core.errors import InvalidFileError
from sclearn.core.source import SourceText
from sclearn.files.decode import UTF8_BOM, decode_source, read_source
from sclearn.files.decode import problem as _problem
from sclearn.files.parser import parse_plain
from sclearn.files.textmerge import plain_key, rewrite
from sclearn.files.write import replace_pledge


def _null_representer(style: str) -> type[RoundTripRepresenter]:
    class Representer(RoundTripRepresenter):
        pass

    def represent_none(rep: RoundTripRepresenter, _data: None) -> Any:
        return rep.represent_scalar("tag:yaml.org,2002:null", style)

    Representer.add_representer(type(None), represent_none)
    return Representer


# ruamel forgets how a file wrote "nothing"; it is written back in the file's usual style.
_NULL_STYLES = {style: _null_representer(style) for style in ("null", "~", "")}
_NULL_RE = re.compile(r":[ \t]+(null|~)[ \t]*(#.*)?$", re.MULTILINE)
_EMPTY_RE = re.compile(r"^ *[^#\s][^:]*:[ \t]*(#.*)?$")


def _null_style(text: str) -> str:
    """The way this file most often writes "nothing": ``null``, ``~`` or an empty value."""
    counts = {"null": 0, "~": 0, "": 0}
    for m in _NULL_RE.finditer(text):
        counts[m.group(1)] += 1
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _EMPTY_RE.match(line):
            indent = len(line) - len(line.lstrip(" "))
            after = next(
                (x for x in lines[i + 1 :] if x.strip() and not x.lstrip().startswith("#")), ""
            )
            after_indent = len(after) - len(after.lstrip(" "))
            if after_indent < indent or (
                after_indent == indent and not after.lstrip().startswith("- ")
            ):
                counts[""] += 1
    best = max(counts.values())
    return "null" if counts["null"] == best else ("~" if counts["~"] == best else "")


def _rt_yaml(text: str) -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100_000  # never re-wrap a user's long line
    rt.Representer = _NULL_STYLES[_null_style(text)]
    rt.explicit_start = text.lstrip().startswith("---")
    rt.explicit_end = _DOC_END.search(text) is not None
    _match_indentation(rt, text)
    return rt


_DOC_END = re.compile(r"^\.\.\.[ \t]*(#.*)?\s*\Z", re.MULTILINE)


def _split_prefix(text: str) -> tuple[str, str]:
    """Comments and directives above a ``---`` line, which ruamel would drop, and the rest."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped == "---" or stripped.startswith("--- "):
            return ("\n".join(lines[:i]) + "\n", "\n".join(lines[i:])) if i else ("", text)
        if stripped and not stripped.startswith(("#", "%")):
            break
    return "", text


@dataclass
class Document:
    """A pledge file loaded for editing: change ``data``, then ``save_document``."""

    source: SourceText
    data: CommentedMap
    yaml: YAML
    prefix: str = ""  # kept verbatim: what stands above the file's "---"
    base: str | None = None  # ruamel's rendering before any edit: what the merge compares with
    notes: list[str] = field(default_factory=list)  # what a save could not keep, in words


def load_document(path: Path, src: SourceText | None = None) -> Document:
    """A file for editing; ``src`` is the file as already read, so it is not read twice."""
    src = src or read_source(path)
    parse_plain(src)  # the safety checks run before ruamel sees the text
    # A lone CR ends a line in YAML as LF does; the merge puts the file's own endings back.
    prefix, body = _split_prefix(src.text.replace("\r", "\n"))
    rt = _rt_yaml(body)
    try:
        data = rt.load(body)
    except RuamelYAMLError as exc:
        raise _problem(path, f"is not valid YAML: {exc}") from exc
    except ValueError as exc:  # ruamel builds dates itself and fails on 2027-02-30
        raise _problem(
            path,
            f"cannot be opened for editing: {exc}",
            hint="run `sclearn check` on it to find the line",
        ) from exc
    if not isinstance(data, CommentedMap):
        raise _problem(path, "does not hold a YAML mapping", 1, 1)
    doc = Document(src, data, rt, prefix)
    doc.base = dump_text(doc)
    return doc


_KEY_ALONE = re.compile(r"^( *)([^\s#\-][^#]*|-[^ #][^#]*):[ \t]*(#.*)?$")


def _match_indentation(rt: YAML, text: str) -> None:
    """Indent mappings and lists as the file mostly does (2, 3, 4 spaces; lists under their key
    or level with it), so that ruamel's rendering matches the file and new lines fit in."""
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    mapping: dict[int, int] = {}
    offset: dict[int, int] = {}
    for line, below in itertools.pairwise(lines):
        m = _KEY_ALONE.match(line)
        if m is None or line.lstrip().startswith("- "):
            continue
        indent, deeper = len(m.group(1)), len(below) - len(below.lstrip(" "))
        if below.lstrip().startswith("- ") and deeper >= indent:
            offset[deeper - indent] = offset.get(deeper - indent, 0) + 1
        elif deeper > indent:
            mapping[deeper - indent] = mapping.get(deeper - indent, 0) + 1
    # max() keeps the first of equal counts, so a tie goes to the style met first.
    step = max(mapping, key=mapping.__getitem__, default=2)
    dash = max(offset, key=offset.__getitem__, default=2)
    rt.indent(mapping=step, sequence=dash + 2, offset=dash)


# --- editing helpers: add to a document without moving the comments around ------------------


def _tail(node: Any) -> tuple[Any, Any, int, bool] | None:
    """Where ruamel keeps the comment below a node's last line: (the mapping or list, key,
    index in its comment slot, whether the last value is a block scalar).

    It hangs on the deepest last key or item of a block structure (below a point, that is the
    next point's heading): index 2 of a mapping key's slot, index 0 of a list item's. After a
    ``|`` or ``>`` block the comment's text starts on a new line; after anything else its first
    line is the end of the last line (an end-of-line comment, or nothing).
    """
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        last = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        child = node[last]
        if (
            isinstance(child, (CommentedMap, CommentedSeq))
            and len(child)
            and not child.fa.flow_style()
        ):
            node = child
            continue
        block = isinstance(child, (LiteralScalarString, FoldedScalarString))
        return node, last, 2 if isinstance(node, CommentedMap) else 0, block
    return None


def take_trailing(node: Any) -> CommentToken | None:
    """Detach the comment below a node's last line (to put it back after an addition)."""
    tail = _tail(node)
    if tail is None:
        return None
    node, key, index, block = tail
    slot = node.ca.items.get(key)
    if not slot or len(slot) <= index or slot[index] is None:
        return None
    token: CommentToken = slot[index]
    # What stays: an end-of-line comment, and comment lines right below that are indented as
    # deep as the last key or item (they belong to it). The rest (blank lines, the next
    # heading) moves. After a | or > block, the text starts on a line of its own.
    own, value = "", token.value
    if not block and not value.startswith("\n"):
        own, _, value = value.partition("\n")
    elif not block:
        value = value[1:]
    elif not value.startswith("\n"):  # ruamel keeps this line's indent in the token's column
        value = " " * token.start_mark.column + value
    lines = ["", *value.split("\n")]  # the first one stands for the end of the last line
    column = _column(node, key)
    keep = 1
    while (
        column is not None
        and keep < len(lines)
        and lines[keep].lstrip().startswith("#")
        and len(lines[keep]) - len(lines[keep].lstrip(" ")) >= column
    ):
        keep += 1
    moved = "\n".join(["", *lines[keep:]])
    if not moved.strip():
        return None
    stays = "\n".join(lines[1:keep])
    if block:
        stays = stays.lstrip(" ") + "\n" if stays else ""
    else:
        stays = (own + "\n" if own else "\n") + (stays + "\n" if stays else "")
    slot[index] = CommentToken(stays, token.start_mark) if stays.strip() else None
    return CommentToken(moved, CommentMark(0))


def _column(node: Any, key: Any) -> int | None:
    """The column a loaded key or list item starts in (None for one added since)."""
    try:
        if isinstance(node, CommentedMap):
            return int(node.lc.key(key)[1])
        return int(node.lc.item(key)[1]) - 2  # a list item's comments may sit under its dash
    except (KeyError, IndexError, TypeError):
        return None


def put_trailing(node: Any, token: CommentToken | None) -> None:
    """Hang a comment below a node's last line, after any comment already there."""
    tail = _tail(node)
    if token is None or tail is None:
        return
    owner, key, index, block = tail
    slot = owner.ca.items.setdefault(key, [None, None, None, None])
    old = slot[index]
    if block and old is None and token.value.startswith("\n"):
        token = CommentToken(token.value[1:], token.start_mark)
    slot[index] = (
        token if old is None else CommentToken(old.value + token.value.lstrip("\n"), old.start_mark)
    )


def append_key(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add a key at the end of a mapping; the comment below it stays below the new key."""
    trailing = take_trailing(mapping)
    mapping[key] = value
    put_trailing(mapping, trailing)


def seq_at(mapping: CommentedMap, key: str) -> CommentedSeq:
    """The list under ``key``; a missing or empty value becomes an empty list first (added at
    the end of the mapping, without moving the comments below it, when the key is new)."""
    seq = mapping.get(key)
    if isinstance(seq, CommentedSeq):
        return seq
    seq = CommentedSeq()
    if key in mapping:
        mapping[key] = seq
    else:
        append_key(mapping, key, seq)
    return seq


def extend_seq(seq: CommentedSeq, items: list[Any]) -> None:
    """Append to a list; the comment below its old last item (often the next key's prompt)
    moves below the new last item, so new lines never appear under someone else's heading."""
    seq.fa.set_block_style()
    trailing = take_trailing(seq)
    seq.extend(items)
    put_trailing(seq, trailing)


def dump_text(doc: Document) -> str:
    """ruamel's text of the document as it now stands (before the merge with the file)."""
    out = io.StringIO()
    doc.yaml.dump(doc.data, out)
    return doc.prefix + out.getvalue()


def render(doc: Document) -> tuple[str, list[str]]:
    """The document's new text (the file's own line endings, no BOM) and, in words, any part
    of the file's layout that could not be kept; see ``textmerge``."""
    text, notes, _ = _render(doc)
    return text, notes


def _render(doc: Document) -> tuple[str, list[str], str]:
    edited = dump_text(doc)
    original = doc.source.as_written
    base = doc.base if doc.base is not None else doc.source.text
    if edited == base:
        return original, [], edited
    path = doc.source.path

    def means_the_same(text: str) -> bool:  # as the project's own reader sees it
        try:
            mine = parse_plain(decode_source(path, text.encode("utf-8")))[0]
            return bool(mine == parse_plain(decode_source(path, edited.encode("utf-8")))[0])
        except InvalidFileError:
            return False

    done = rewrite(original, base, edited, key=_line_key, check=means_the_same)
    return done.text, [f"{path}: {note}" for note in done.notes], edited


_NULL_VALUE = re.compile(r"^([^#]*?:)[ \t]+(?:~|null|Null|NULL)(?=[ \t]*(?:#|$))")


def _line_key(line: str) -> str:
    """A line's meaning for the merge: "nothing" is the same however it is written (ruamel
    writes it one way for the whole file), so the way the user wrote it on that line stays."""
    return _NULL_VALUE.sub(r"\1", plain_key(line))


def save_document(doc: Document, validate: Callable[[SourceText], object] | None = None) -> bool:
    """Write the document back if it changed; False when there was nothing to write.

    Only the lines the change reaches are written anew; what could not be kept is added to
    ``doc.notes`` for the command to tell the user. ``validate`` is given the new text before
    anything is written and raises to stop the write, so a change that would leave the file
    unreadable never reaches the disk.
    """
    try:
        text, notes, edited = _render(doc)
        raw = (UTF8_BOM if doc.source.bom else b"") + text.encode("utf-8")
    except UnicodeEncodeError as exc:  # text from a command line that was not UTF-8
        raise _problem(
            doc.source.path,
            "was not changed: the new text is not valid UTF-8",
            hint="type the text again, or give it in a UTF-8 terminal",
        ) from exc
    if text == doc.source.as_written:
        return False
    new = decode_source(doc.source.path, raw)
    if validate is not None:
        validate(new)
    replace_pledge(doc.source.path, raw, expected_digest=doc.source.digest)
    object.__setattr__(doc, "source", new)
    doc.base = edited
    doc.notes += notes
    return True
