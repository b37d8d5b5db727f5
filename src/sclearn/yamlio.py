"""Reading and writing the YAML files users keep by hand.

Two readers share one safety check:

* ``parse_plain`` builds plain Python data from libyaml's event stream (C speed, no recursion,
  no object construction), remembering where every key and value sits so that validation errors
  can name a line. It refuses what pledge files never need and attackers love: aliases and
  anchors (alias bombs), explicit tags (``!!python/object``), deep nesting and duplicate keys.
* ``load_document``/``save_document`` use ruamel.yaml's round-trip mode for the commands that
  change a file, so comments, key order and quoting survive; the UTF-8 BOM and CRLF endings are
  put back by hand because ruamel does not keep them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelYAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken
from yaml._yaml import CParser

from sclearn.errors import ConflictError, InvalidFileError, Problem

# Nothing in a pledge or framework file nests deeper than this; refusing early keeps a hostile
# file from costing seconds of CPU before it fails.
MAX_DEPTH = 24
DEFAULT_MAX_BYTES = 2_000_000
UTF8_BOM = b"\xef\xbb\xbf"

_RESAVE = "Re-save it as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)."

Path_ = tuple[str | int, ...]


def max_file_bytes() -> int:
    value = os.environ.get("SCLEARN_MAX_FILE_BYTES", "")
    return int(value) if value.isdigit() else DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class SourceText:
    """A file's text as read, with what is needed to write it back the same way."""

    path: Path
    text: str  # newlines as "\n", BOM removed
    bom: bool
    newline: str
    digest: str  # of the bytes on disk, to notice a change made by someone else


@dataclass
class Locations:
    """Where each key and value of a parsed file starts (1-based line and column)."""

    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path_) -> tuple[int | None, int | None]:
        """The key's place if known, else the value's, else the nearest enclosing one."""
        while True:
            for table in (self.keys, self.values):
                if path in table:
                    return table[path]
            if not path:
                return None, None
            path = path[:-1]


def _problem(src_path: Path, message: str, line: int | None = None, column: int | None = None,
             hint: str | None = None) -> InvalidFileError:
    return InvalidFileError([Problem(message, src_path, line, column, hint=hint)])


def read_source(path: Path, max_bytes: int | None = None) -> SourceText:
    """Read a user's file, turning every way it can be unreadable into one located message."""
    limit = max_bytes if max_bytes is not None else max_file_bytes()
    if path.is_symlink() and not path.exists():
        raise _problem(path, "is a link to a file that does not exist")
    if path.is_dir():
        raise _problem(path, "is a folder, not a file")
    if not path.exists():
        raise _problem(path, "no such file")
    try:
        size = path.stat().st_size
        if size > limit:
            raise _problem(
                path,
                f"is {size:,} bytes, more than the limit of {limit:,} bytes",
                hint="a pledge file is normally a few kilobytes; set SCLEARN_MAX_FILE_BYTES to "
                "allow larger files",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise _problem(path, f"cannot be read: {exc.strerror or exc}") from exc
    return decode_source(path, raw)


def decode_source(path: Path, raw: bytes) -> SourceText:
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise _problem(path, "is saved as UTF-16, which sclearn cannot read", 1, 1, hint=_RESAVE)
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM):] if bom else raw
    if b"\x00" in body:
        line = body[: body.index(b"\x00")].count(b"\n") + 1
        raise _problem(path, "is a binary file, not a text file", line)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = body[exc.start : exc.start + 1].decode("cp1252", errors="replace")
        raise _problem(
            path,
            f"is not UTF-8: the character {guess!r} on this line looks like Windows-1252, "
            "as older Windows editors save",
            line,
            column,
            hint=_RESAVE,
        ) from exc
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    return SourceText(path, text.replace("\r\n", "\n"), bom, newline, digest)


def _yaml_error(path: Path, text: str, exc: yaml.MarkedYAMLError) -> InvalidFileError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    lines = text.split("\n")
    if line is not None and line <= len(lines):
        this = lines[line - 1]
        if "\t" in this[: len(this) - len(this.lstrip(" \t"))]:
            return _problem(
                path,
                "this line is indented with a tab; YAML only allows spaces for indentation",
                line,
                column,
                hint="replace the tab with spaces (most editors can show tabs and convert them)",
            )
    what = " ".join(str(x) for x in (exc.problem, exc.context) if x) or "syntax error"
    if "nesting depth" in what:  # libyaml's own guard can fire before ours
        return _problem(path, f"nests deeper than {MAX_DEPTH} levels", line, column,
                        hint="pledge files are only a few levels deep; check the brackets")
    return _problem(
        path,
        f"is not valid YAML: {what}",
        line,
        column,
        hint="check the indentation, and put text that contains ': ' or ' #' or starts with "
        "a special character in quotes",
    )


_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


class _PlainResolver(yaml.resolver.BaseResolver):
    """Only "nothing" is recognised; every other plain value stays text.

    The models decide what each field needs, so PyYAML's regular-expression guessing of ints,
    floats, booleans and dates (most of the cost of its resolver) is not wanted.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULL_WORDS else _STR_TAG
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


class _Loader(CParser, _PlainResolver):
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        _PlainResolver.__init__(self)
# Explicit tags are refused by the scan in ``parse_plain``; as a second guard, a node with any
# tag but these is refused too.
_CORE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge"))
# A '!' that may begin a tag (after a space, bracket or comma), and the tag as written.
_MAYBE_TAG = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)
_TAG = re.compile(r"![^\s,\[\]{}]*")


def parse_plain(src: SourceText) -> tuple[Any, Locations]:
    """Plain data and locations from text, refusing unsafe or needless YAML features.

    libyaml composes the node tree in C; the walk below only turns nodes into dicts, lists and
    text, refusing anchors and aliases (a node met twice), tags, deep nesting and
    duplicate keys on the way.
    """
    path = src.path
    locs = Locations()
    loader = _Loader(src.text)
    try:
        try:
            root_node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in str(exc):
                m = exc.problem_mark
                raise _problem(path, "holds more than one YAML document (a second '---')",
                               m.line + 1 if m else None, None,
                               "keep one document per file") from None
            raise
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(path, src.text, exc) from exc
    except yaml.YAMLError as exc:  # unmarked reader errors, e.g. a control character
        raise _problem(path, f"is not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    if root_node is None:
        return None, locs
    if "&" in src.text or _MAYBE_TAG.search(src.text):
        # An anchor that no alias uses composes to nothing visible, and a core tag (`!!str`,
        # `!!bool yes`) composes to the same node as an untagged value; ask the scanner.
        for token in yaml.scan(src.text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.AnchorToken):
                m = token.start_mark
                raise _problem(path, "uses a YAML anchor (&name); pledge files do not need "
                               "them", m.line + 1, m.column + 1, "remove the &name")
            if isinstance(token, yaml.TagToken):
                m = token.start_mark
                tag = _TAG.match(src.text.split("\n")[m.line], m.column)
                raise _problem(path, f"uses the YAML tag '{tag[0] if tag else '!'}', which "
                               "sclearn does not accept",
                               m.line + 1, m.column + 1, "remove the tag: sclearn reads every "
                               "value as written (put text that starts with '!' in quotes)")
    # An alias needs a '*': without one, no node can be met twice and the check is skipped.
    seen: set[int] | None = set() if "*" in src.text else None
    values, keys = locs.values, locs.keys

    def at(node: yaml.Node) -> tuple[int, int]:
        m = node.start_mark
        return (m.line + 1, m.column + 1) if m is not None else (1, 1)

    def refuse(message: str, node: yaml.Node, hint: str | None = None) -> InvalidFileError:
        return _problem(path, message, *at(node), hint)

    def build(node: yaml.Node, where: Path_, depth: int) -> Any:
        if seen is not None:
            if id(node) in seen:
                raise refuse("uses a YAML alias (*name); pledge files do not need them",
                             node, "write the text out in full instead of referring to an "
                             "anchor")
            seen.add(id(node))
        if node.tag not in _CORE_TAGS:
            raise refuse(f"uses the YAML tag {node.tag!r}, which sclearn does not accept",
                         node, "remove the tag; plain text, lists and mappings suffice")
        m = node.start_mark
        values[where] = (m.line + 1, m.column + 1)
        if isinstance(node, yaml.ScalarNode):
            # Only a plain empty, ~ or null resolves to the null tag; all else stays as text.
            return None if node.tag == _NULL_TAG else node.value
        if depth >= MAX_DEPTH:
            raise refuse(f"nests deeper than {MAX_DEPTH} levels", node,
                         "pledge files are only a few levels deep")
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise refuse("a key must be plain text, not a list or a mapping", key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise refuse("uses a YAML merge key (<<); pledge files do not need them",
                             key_node)
            name = key_node.value
            if name in out:
                first = locs.keys.get((*where, name), (None,))[0]
                raise refuse(f"the key '{name}' appears twice in the same place"
                             + (f" (first on line {first})" if first else ""), key_node,
                             "keep one of them and move what the other holds into it")
            k = key_node.start_mark
            keys[(*where, name)] = (k.line + 1, k.column + 1)
            out[name] = build(value_node, (*where, name), depth + 1)
        return out

    return build(root_node, (), 0), locs


def load_plain(path: Path) -> tuple[Any, Locations, SourceText]:
    src = read_source(path)
    data, locs = parse_plain(src)
    return data, locs, src


# --- round trip ------------------------------------------------------------------------------


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


def save_document(doc: Document) -> bool:
    """Write the document back if it changed; False when there was nothing to write."""
    text = dump_text(doc)
    if text == doc.source.text:
        return False
    raw = encode_text(text, bom=doc.source.bom, newline=doc.source.newline)
    atomic_write(doc.source.path, raw, expected_digest=doc.source.digest)
    object.__setattr__(doc, "source", decode_source(doc.source.path, raw))
    return True


def atomic_write(path: Path, raw: bytes, *, expected_digest: str | None) -> None:
    """Write via a temporary file and a rename, so a crash leaves the old file whole.

    ``expected_digest`` is the digest of the bytes read earlier: the write is refused if the
    file changed since. ``None`` means the file must not exist yet.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if expected_digest is None:
            try:
                # A hard link fails if the name exists: an atomic "create, never overwrite".
                os.link(tmp, path)
            except FileExistsError:
                raise ConflictError(
                    f"{path}: already exists; sclearn never overwrites a file",
                    hint="choose another name with -o, or remove the old file yourself",
                ) from None
            except OSError:
                if path.exists():
                    raise ConflictError(
                        f"{path}: already exists; sclearn never overwrites a file") from None
                os.replace(tmp, path)
            return
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
            current = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            current = None
        if current != expected_digest:
            raise ConflictError(
                f"{path}: changed on disk after sclearn read it, so it was not overwritten",
                hint="nothing was lost: open the file to see the other change, then run the "
                "command again",
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_file(path: Path, raw: bytes) -> None:
    """Write an output file (a report, a calendar) atomically, replacing any earlier one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """A text file to stream a large output into; it replaces ``path`` only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
