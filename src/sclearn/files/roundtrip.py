"""Editing a user's YAML file without disturbing what they wrote.

``load_document``/``save_document`` use ruamel.yaml's round-trip mode for the commands that
change a file, so comments, key order and quoting survive; the UTF-8 BOM and CRLF endings are
put back by hand because ruamel does not keep them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelYAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from sclearn.core.source import SourceText
from sclearn.files.decode import UTF8_BOM, decode_source, read_source
from sclearn.files.decode import problem as _problem
from sclearn.files.parser import parse_plain
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
            after = next((x for x in lines[i + 1 :]
                          if x.strip() and not x.lstrip().startswith("#")), "")
            after_indent = len(after) - len(after.lstrip(" "))
            if after_indent < indent or (after_indent == indent and not after.lstrip()
                                         .startswith("- ")):
                counts[""] += 1
    best = max(counts.values())
    return "null" if counts["null"] == best else ("~" if counts["~"] == best else "")


def _rt_yaml(text: str) -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 100_000  # never re-wrap a user's long line
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.Representer = _NULL_STYLES[_null_style(text)]
    rt.explicit_start = text.lstrip().startswith("---")
    _match_indentation(rt, text)
    return rt


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


def load_document(path: Path, src: SourceText | None = None) -> Document:
    """A file for editing; ``src`` is the file as already read, so it is not read twice."""
    src = src or read_source(path)
    parse_plain(src)  # the safety checks run before ruamel sees the text
    prefix, body = _split_prefix(src.text)
    rt = _rt_yaml(body)
    try:
        data = rt.load(body)
    except RuamelYAMLError as exc:
        raise _problem(path, f"is not valid YAML: {exc}") from exc
    except ValueError as exc:  # ruamel builds dates itself and fails on 2027-02-30
        raise _problem(path, f"cannot be opened for editing: {exc}",
                       hint="run `sclearn check` on it to find the line") from exc
    if not isinstance(data, CommentedMap):
        raise _problem(path, "does not hold a YAML mapping", 1, 1)
    return Document(src, data, rt, prefix)


def _match_indentation(rt: YAML, text: str) -> None:
    """Write lists back indented the way the file's first block list is, relative to its key."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        body = line.lstrip(" ")
        if not body.startswith("- "):
            continue
        dash = len(line) - len(body)
        for above in reversed(lines[:i]):
            key = above.lstrip(" ")
            if not key or key.startswith("#"):
                continue
            indent = len(above) - len(key)
            if indent < dash or (indent == dash and not key.startswith("- ")):
                offset = dash - indent
                rt.indent(mapping=2, sequence=offset + 2, offset=offset)
                return
        return


# --- editing helpers: add to a document without moving the comments around ------------------

def _tail(node: Any) -> tuple[dict[Any, Any], Any, int] | None:
    """Where ruamel keeps the comment below a node's last line: (comment slots, key, index).

    It hangs on the deepest last key or item of a block structure (below a point, that is the
    next point's heading): index 2 of a mapping key's slot, index 0 of a list item's.
    """
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        last = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        child = node[last]
        if isinstance(child, (CommentedMap, CommentedSeq)) and len(child) \
                and not child.fa.flow_style():
            node = child
            continue
        return node.ca.items, last, 2 if isinstance(node, CommentedMap) else 0
    return None


def take_trailing(node: Any) -> CommentToken | None:
    """Detach the comment below a node's last line (to put it back after an addition)."""
    tail = _tail(node)
    if tail is None:
        return None
    items, key, index = tail
    slot = items.get(key)
    if not slot or len(slot) <= index or slot[index] is None:
        return None
    token: CommentToken = slot[index]
    slot[index] = None
    return token


def put_trailing(node: Any, token: CommentToken | None) -> None:
    """Hang a comment below a node's last line, after any comment already there."""
    tail = _tail(node)
    if token is None or tail is None:
        return
    items, key, index = tail
    slot = items.setdefault(key, [None, None, None, None])
    old = slot[index]
    slot[index] = token if old is None else CommentToken(
        old.value + token.value.lstrip("\n"), old.start_mark)


def append_key(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add a key at the end of a mapping; the comment below it stays below the new key."""
    trailing = take_trailing(mapping)
    mapping[key] = value
    put_trailing(mapping, trailing)


def extend_seq(seq: CommentedSeq, items: list[Any]) -> None:
    """Append to a list; the comment below its old last item (often the next key's prompt)
    moves below the new last item, so new lines never appear under someone else's heading."""
    seq.fa.set_block_style()
    trailing = take_trailing(seq)
    seq.extend(items)
    put_trailing(seq, trailing)


def dump_text(doc: Document) -> str:
    out = io.StringIO()
    doc.yaml.dump(doc.data, out)
    return doc.prefix + out.getvalue()


def encode_text(text: str, *, bom: bool, newline: str) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode("utf-8")
    return UTF8_BOM + data if bom else data


def save_document(doc: Document, validate: Callable[[SourceText], object] | None = None
                  ) -> bool:
    """Write the document back if it changed; False when there was nothing to write.

    ``validate`` is given the new text before anything is written and raises to stop the
    write, so a change that would leave the file unreadable never reaches the disk.
    """
    text = dump_text(doc)
    if text == doc.source.text:
        return False
    try:
        raw = encode_text(text, bom=doc.source.bom, newline=doc.source.newline)
    except UnicodeEncodeError as exc:  # text from a command line that was not UTF-8
        raise _problem(doc.source.path, "was not changed: the new text is not valid UTF-8",
                       hint="type the text again, or give it in a UTF-8 terminal") from exc
    new = decode_source(doc.source.path, raw)
    if validate is not None:
        validate(new)
    replace_pledge(doc.source.path, raw, expected_digest=doc.source.digest)
    object.__setattr__(doc, "source", new)
    return True
