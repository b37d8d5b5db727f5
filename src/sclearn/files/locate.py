"""Where each key and value of a block-YAML file starts, found from its text without libyaml.

The careful parser locates every key and value from libyaml's node tree, which costs more
than the fast parse itself. A file the fast parser has read holds none of the constructs that
make YAML hard to follow (anchors, aliases, tags, complex keys, directives, tabs), so its keys
and values can be found by following its indentation: a key at the start of a line, a ``- ``
item, a value after its key or on the lines below it, a flow collection (``[]``, ``{text: …,
source: SR}``) written on one line, quoted, plain and block scalars over several lines.

``locate`` gives exactly the careful parser's tables (libyaml's marks: an empty value sits
just after its ``:`` or ``-``, a collection where its first key or ``-`` is), or None when it
meets anything it does not follow. It walks beside the data the fast parser read and gives up
as soon as the two disagree, so its tables name every key and value of the data, no more and
no fewer. A test holds it to the careful parser over the corpora and thousands of mutated
files.
"""

from __future__ import annotations

import re
from typing import Any

from sclearn.core.source import Locations, Path_

Place = tuple[int, int]

# A key as pledge files write them (field names, point ids; "on" quoted), then ':' and a space
# or the end of the line (in a flow mapping, a space).
# (A quoted key is short: a long quoted value is not scanned to its end to see if it is one.)
_NAME = r"""(?:([A-Za-z0-9_][A-Za-z0-9_.\-]*)|"([^"\\]{0,40})"|'([^']{0,40})')"""
_KEY = re.compile(_NAME + r"(?=:(?: |$))")
_FLOW_KEY = re.compile(_NAME + r"(?=: )")
# A block scalar's header: no indentation indicator, an optional comment.
_BLOCK_HEADER = re.compile(r"[|>][+-]?(?: +#.*| *)$")
# What a value may start with that no key starts with.
_NOT_KEYS = frozenset("[{|>")
_PLAIN_FLOW_END = re.compile(r",|\]|\}|\[|\{|: | #|:$")


class _Unsure(Exception):
    """Something the walk does not follow: the careful parser finds the places instead."""


def _after_quote(line: str, j: int, quote: str) -> int | None:
    """Where the quoted text opened before ``j`` ends on this line (just after its closing
    quote), or None if it goes on to the next line."""
    while True:
        k = line.find(quote, j)
        if k < 0:
            return None
        if quote == "'":
            if line.startswith("''", k):  # '' is a quote in single-quoted text
                j = k + 2
                continue
            return k + 1
        # A double quote is escaped by an odd number of backslashes before it.
        slashes = 0
        while k - slashes - 1 >= j and line[k - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2 == 0:
            return k + 1
        j = k + 1


def _dash(line: str, col: int) -> bool:
    """Whether a block sequence's '-' stands at column ``col`` of ``line``."""
    return line.startswith("-", col) and (len(line) == col + 1 or line[col + 1] == " ")


def _rest_is_empty(line: str, j: int) -> bool:
    """Whether nothing but spaces, or spaces and a comment, follows ``j``."""
    rest = line[j:].lstrip(" ")
    return not rest or (rest[0] == "#" and len(rest) < len(line) - j)


class _Walk:
    """One pass over a file's lines beside the data read from it, filling the tables.

    Each method is given the data of the node it walks, and refuses (``_Unsure``) as soon as
    the text and the data disagree: a key the data lacks, a list where the text has text,
    fewer or more items or keys than the data holds. So the tables name every key and value
    of the data, no more and no fewer."""

    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        self.lines = lines
        self.indent = indent = [len(x) - len(x.lstrip(" ")) for x in lines]
        # nxt[i]: the first line from i on holding more than spaces or a comment.
        count = len(lines)
        self.nxt = nxt = [count] * (count + 1)
        k = count
        for i in range(count - 1, -1, -1):
            n = indent[i]
            if n < len(lines[i]) and lines[i][n] != "#":
                k = i
            nxt[i] = k
        self.keys: dict[Path_, Place] = {}
        self.values: dict[Path_, Place] = {}

    def run(self, data: Any) -> None:
        """Walk the whole file."""
        i = self.nxt[1 if self.lines[0] == "---" else 0]
        if i == len(self.lines):
            if data is not None:
                raise _Unsure
            return
        end = self.node((), i, self.indent[i], -1, False, data)
        if self.nxt[end] != len(self.lines):
            raise _Unsure

    def node(self, path: Path_, i: int, col: int, parent: int, inline: bool, data: Any) -> int:
        """The node starting at line ``i``, column ``col``, in a block of indentation
        ``parent``; ``inline`` when it follows its key on the key's line. Gives the line after
        the node's last."""
        self.values[path] = (i + 1, col + 1)
        line = self.lines[i]
        if _dash(line, col):
            if inline or type(data) is not list:
                raise _Unsure
            return self.sequence(path, i, col, data)
        m = None if line[col] in _NOT_KEYS else _KEY.match(line, col)
        if m is not None:
            if inline or type(data) is not dict:
                raise _Unsure
            return self.mapping(path, i, col, data, m)
        return self.scalar(path, i, col, parent, data)

    def inline(self, path: Path_, i: int, j: int, parent: int, after_key: bool, data: Any) -> int:
        """``node`` for what follows a key or '-' on its line, with the commonest kind, text
        in double quotes that ends the line, taken at once."""
        line = self.lines[i]
        if (
            line[j] == '"'
            and line[-1] == '"'
            and line.find('"', j + 1) == len(line) - 1
            and line.find("\\", j) < 0
            and type(data) is str
        ):
            self.values[path] = (i + 1, j + 1)
            return i + 1
        return self.node(path, i, j, parent, after_key, data)

    def empty(self, path: Path_, i: int, col: int, at: int, dash_too: bool, data: Any) -> int:
        """The value of a key or '-' at column ``col`` of line ``i`` with nothing after it on
        its line: the node on the lines below if indented more (or, for a key, a '-' at the
        key's own column), else nothing, placed at column ``at`` (just after the ':' or '-')."""
        k = self.nxt[i + 1]
        if k < len(self.lines):
            n = self.indent[k]
            if n > col or (dash_too and n == col and _dash(self.lines[k], n)):
                return self.node(path, k, n, col, False, data)
        if data is not None:
            raise _Unsure
        self.values[path] = (i + 1, at + 1)
        return i + 1

    def sequence(self, path: Path_, i: int, col: int, data: list[Any]) -> int:
        """A block sequence whose '-' stand at column ``col``."""
        lines, indent, nxt, end_of_file = self.lines, self.indent, self.nxt, len(self.lines)
        for index, item_data in enumerate(data):
            item = (*path, index)
            line = lines[i]
            j = col + 1
            while j < len(line) and line[j] == " ":
                j += 1
            if j >= len(line) or line[j] == "#":
                end = self.empty(item, i, col, col + 1, False, item_data)
            else:
                end = self.inline(item, i, j, col, False, item_data)
            k = nxt[end]
            if k == end_of_file or indent[k] != col or not _dash(lines[k], col):
                if index + 1 != len(data):
                    raise _Unsure
                return end
            i = k
        raise _Unsure  # more items than the data holds

    def mapping(self, path: Path_, i: int, col: int, data: dict[str, Any], m: Any) -> int:
        """A block mapping whose keys start at column ``col``; ``m`` matched its first key."""
        lines, indent, nxt, end_of_file = self.lines, self.indent, self.nxt, len(self.lines)
        keys = self.keys
        count = 0
        while True:
            name = m[m.lastindex or 0]
            key = (*path, name)
            if name not in data or key in keys:
                raise _Unsure
            count += 1
            keys[key] = (i + 1, col + 1)
            line = lines[i]
            colon = m.end()
            j = colon + 1
            while j < len(line) and line[j] == " ":
                j += 1
            if j >= len(line) or line[j] == "#":
                end = self.empty(key, i, col, colon + 1, True, data[name])
            else:
                end = self.inline(key, i, j, col, True, data[name])
            k = nxt[end]
            if k == end_of_file or indent[k] != col or _dash(lines[k], col):
                if count != len(data):
                    raise _Unsure
                return end
            i = k
            m = _KEY.match(lines[i], col)
            if m is None:
                raise _Unsure

    def scalar(self, path: Path_, i: int, col: int, parent: int, data: Any) -> int:
        """A scalar or a one-line flow collection starting at line ``i``, column ``col``."""
        line = self.lines[i]
        c = line[col]
        if c in "[{":
            end = self.flow(path, i, col, data)
            if not _rest_is_empty(line, end):
                raise _Unsure
            return i + 1
        if type(data) is dict or type(data) is list:
            raise _Unsure
        if c in "\"'":
            return self.quoted(i, col + 1, c)
        lines, indent = self.lines, self.indent
        k = i + 1
        if c in "|>":
            if not _BLOCK_HEADER.match(line, col):
                raise _Unsure
            # Its lines: each one indented more than its block, or empty.
            while k < len(lines) and (indent[k] > parent or indent[k] == len(lines[k])):
                k += 1
            return k
        # Plain text: to a comment or the end of the line, then on each line below that is
        # indented more than its block and is not a comment.
        if " #" in line:
            return k
        while k < len(lines):
            n = indent[k]
            here = lines[k]
            if n == len(here):  # an empty line folds into the text
                k += 1
                continue
            if n <= parent or here[n] == "#":
                break
            k += 1
            if " #" in here:
                break
        return k

    def quoted(self, i: int, j: int, quote: str) -> int:
        """Quoted text opened just before column ``j`` of line ``i``, to its closing quote."""
        while True:
            end = _after_quote(self.lines[i], j, quote)
            if end is not None:
                if not _rest_is_empty(self.lines[i], end):
                    raise _Unsure
                return i + 1
            i, j = i + 1, 0
            if i >= len(self.lines):
                raise _Unsure

    def flow(self, path: Path_, i: int, col: int, data: Any) -> int:
        """A flow collection opened at column ``col`` that closes on the same line; gives the
        column after its closing bracket."""
        line = self.lines[i]
        self.values[path] = (i + 1, col + 1)
        mapping = line[col] == "{"
        if type(data) is not (dict if mapping else list):
            raise _Unsure
        items: Any = data  # a dict or a list, as just checked
        close = "}" if mapping else "]"
        j, count = col + 1, 0
        while True:
            while j < len(line) and line[j] == " ":
                j += 1
            if j >= len(line):
                raise _Unsure
            if line[j] == close:
                if count != len(items):
                    raise _Unsure
                return j + 1
            if mapping:
                m = _FLOW_KEY.match(line, j)
                if m is None:
                    raise _Unsure
                name = m[m.lastindex or 0]
                item: Path_ = (*path, name)
                if name not in items or item in self.keys:
                    raise _Unsure
                self.keys[item] = (i + 1, j + 1)
                value = items[name]
                j = m.end() + 2
                while j < len(line) and line[j] == " ":
                    j += 1
            else:
                if count >= len(items):
                    raise _Unsure
                item, value = (*path, count), items[count]
            count += 1
            j = self.flow_value(item, i, j, value)
            while j < len(line) and line[j] == " ":
                j += 1
            if j < len(line) and line[j] == ",":
                j += 1
            elif not line.startswith(close, j):
                raise _Unsure

    def flow_value(self, path: Path_, i: int, j: int, data: Any) -> int:
        """A value inside a flow collection at column ``j``; gives the column after it."""
        line = self.lines[i]
        if j >= len(line) or line[j] in ",]}#":
            raise _Unsure
        c = line[j]
        if c in "[{":
            return self.flow(path, i, j, data)
        if type(data) is dict or type(data) is list:
            raise _Unsure
        self.values[path] = (i + 1, j + 1)
        if c in "\"'":
            end = _after_quote(line, j + 1, c)
            if end is None:
                raise _Unsure
            return end
        m = _PLAIN_FLOW_END.search(line, j)
        return len(line) if m is None else m.start()


def locate(text: str, data: Any) -> Locations | None:
    """The careful parser's locations for ``text``, which the fast parser read as ``data``;
    None when the text holds anything this walk does not follow."""
    walk = _Walk(text)
    try:
        walk.run(data)
    except (_Unsure, IndexError, RecursionError):
        return None
    return Locations(walk.keys, walk.values)
