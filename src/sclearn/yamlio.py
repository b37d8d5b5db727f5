"""Reading and writing the YAML files users keep by hand.

Two readers share one safety check:

* ``parse_plain`` builds plain Python data from libyaml's event stream (C speed, no recursion,
  no object construction), remembering where every key and value sits so that validation errors
  can name a line. It refuses what pledge files never need and attackers love: aliases and
  anchors (alias bombs), explicit tags (``!!python/object``), deep nesting and duplicate keys.
* ``load_document``/``save_document`` use ruamel.yaml's round-trip mode for the commands that
  change a file. ruamel's output is not written as it is: a three-way merge (``textmerge``)
  applies only the lines the edit changed to the file as it was on disk, so its indentation,
  line endings, trailing spaces, folded lines and comments stay byte-for-byte outside the change.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
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
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RuamelYAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken
from yaml._yaml import CParser

from sclearn.errors import ConflictError, InvalidFileError, Problem
from sclearn.textmerge import plain_key, rewrite

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
    original: str | None = None  # as decoded, with the file's own line endings

    @property
    def as_written(self) -> str:
        """The text with its own line endings (mixed or CR-only ones included), BOM removed."""
        return self.original if self.original is not None else \
            self.text.replace("\n", self.newline)


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
    return SourceText(path, text.replace("\r\n", "\n"), bom, newline, digest, text)


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
# The core schema's tags: anything else (``!!python/object``, ``!secret``) is refused.
_CORE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge"))


def parse_plain(src: SourceText) -> tuple[Any, Locations]:
    """Plain data and locations from text, refusing unsafe or needless YAML features.

    libyaml composes the node tree in C; the walk below only turns nodes into dicts, lists and
    text, refusing anchors and aliases (a node met twice), foreign tags, deep nesting and
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
    if "&" in src.text:
        # An anchor that no alias uses composes to nothing visible; ask the scanner.
        for token in yaml.scan(src.text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.AnchorToken):
                m = token.start_mark
                raise _problem(path, "uses a YAML anchor (&name); pledge files do not need "
                               "them", m.line + 1, m.column + 1, "remove the &name")
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
        raise _problem(path, f"cannot be opened for editing: {exc}",
                       hint="run `sclearn check` on it to find the line") from exc
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
        if isinstance(child, (CommentedMap, CommentedSeq)) and len(child) \
                and not child.fa.flow_style():
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
    while column is not None and keep < len(lines) and lines[keep].lstrip().startswith("#") \
            and len(lines[keep]) - len(lines[keep].lstrip(" ")) >= column:
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


def save_document(doc: Document) -> bool:
    """Write the document back if it changed; False when there was nothing to write.

    Only the lines the change reaches are written anew; what could not be kept is added to
    ``doc.notes`` for the command to tell the user.
    """
    text, notes, edited = _render(doc)
    if text == doc.source.as_written:
        return False
    raw = (UTF8_BOM if doc.source.bom else b"") + text.encode("utf-8")
    atomic_write(doc.source.path, raw, expected_digest=doc.source.digest)
    object.__setattr__(doc, "source", decode_source(doc.source.path, raw))
    doc.base = edited
    doc.notes += notes
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
