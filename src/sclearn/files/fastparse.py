"""A fast parser behind ``files.parser.Parser``: yaml_rs, with the careful parser's guards.

yaml_rs (a Rust YAML parser) reads a pledge file about four times faster than libyaml, but it
resolves types (``1.0`` a float, ``true`` a boolean, ``0x1F`` a number), expands aliases and
gives no line numbers. So a file takes the fast path only when a cheap scan of its text finds
nothing the two parsers may read differently (anchors, aliases, tags, merge keys, directives,
several documents, escapes, tabs and other unusual characters), and when every key and value
it returns is text or nothing (bar a canonically written format number). Anything else, and any
complaint of yaml_rs, hands the file to the careful parser, whose messages name the line.

Lines and columns are found only when asked for (``Deferred``): from the text, by following
its indentation (``files.locate``), or where that walk cannot follow the file, by the careful
parser reading it once more. A file that does not validate is read again carefully by
``files.pledges``, so its messages are the careful path's own.

yaml_rs is an optional wheel: when it cannot be imported, or ``SCLEARN_PARSER=careful`` is set,
every file takes the careful path.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Callable
from typing import Any

from sclearn.core.errors import InvalidFileError
from sclearn.core.source import Locations, Path_, SourceText
from sclearn.files.locate import locate
from sclearn.files.parser import CAREFUL, MAX_DEPTH, CarefulParser, Composed, Parser, parse_plain

# What makes a file's reading uncertain: any one of these sends it to the careful parser.
# A directive or a document marker, at the start of a line. (Looked for after each newline, not
# with `^` and MULTILINE, which tries every character: a tenth of the time.)
_LINE_STARTS = ("%", "---", "...")
_ODD_LINE = re.compile(r"\n(?:%|---|\.\.\.)")
# Where an anchor, alias, tag, complex key, merge key or escape may be; `_odd_mark` decides.
# (One regular expression for all of it tried every branch at every character: 2 ms a file,
# more than yaml_rs takes to parse it.)
_MARKS = frozenset("&*!?<\\")


# A mark, or a character the parsers treat differently or refuse: tabs, CR, NEL, BOM, line and
# paragraph separators, controls, non-characters. One class, so the text is scanned once;
# compiled when first used (5 ms), as `check FILE` never uses it.
@functools.cache
def _unsure() -> re.Pattern[str]:
    return re.compile(
        r"[^\n\x20\x22-\x25\x27-\x29\x2b-\x3b\x3d\x3e\x40-\x5b\x5d-\x7e"
        r"\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    )


_OPENS = frozenset("[{,:")  # what may stand before a node's properties, besides a space
_ENDS = frozenset("[]{},")


def _odd_mark(text: str, i: int) -> bool:
    """Whether the mark at ``i`` may be read differently by the two parsers: an anchor or alias
    where a value may start ("A&E" and "this & that" are prose), a tag (`!x`, `!!str`, a
    lone `!`), a complex key `?`, a merge key `<<`, or an escape but \\" \\\\ \\n \\t."""
    c, before, after = text[i], text[i - 1 : i], text[i + 1 : i + 2]
    starts = not before or before.isspace() or before in _OPENS
    if c in "&*":
        return starts and bool(after) and not after.isspace() and after not in _ENDS
    if c == "!":
        return starts
    if c == "?":
        return (not before or before.isspace()) and (not after or after.isspace())
    if c == "<":
        return after == "<"
    return after not in ('"', "\\", "n", "t")  # a backslash


def _doubtful(text: str, start: int) -> bool:
    """Whether anything from ``start`` on may be read differently by yaml_rs and libyaml."""
    # `start` is always at the start of a line.
    if text.startswith(_LINE_STARTS, start) or _ODD_LINE.search(text, start):
        return True
    for m in _unsure().finditer(text, start):
        i = m.start()
        if text[i] not in _MARKS or _odd_mark(text, i):
            return True
    return False


# The format number, the one value a pledge file writes as a number: at the start of a line,
# found after a newline (see _ODD_LINE for why not `^`).
_FORMAT = re.compile(r"\nsclearn: *([0-9]+) *(?:#.*)?$", re.MULTILINE)


def _import_loads() -> Callable[..., Any] | None:
    if os.environ.get("SCLEARN_PARSER", "").strip().lower() == "careful":
        return None
    try:
        module = importlib.import_module("yaml_rs")
    except ImportError:  # no wheel for this platform: the careful parser reads everything
        return None
    loads: Callable[..., Any] = module.loads
    return loads


def _plain(tree: Any) -> bool:
    """Whether a tree holds only text keys and text or empty values, no deeper than allowed."""
    # A loop over a stack, not recursion: this runs for every node of every file.
    todo: list[tuple[Any, int]] = [(tree, 0)]
    while todo:
        node, depth = todo.pop()
        if depth >= MAX_DEPTH:
            return False
        kind = type(node)
        if kind is dict:
            for key, value in node.items():
                if type(key) is not str:
                    return False
                if value is not None and type(value) is not str:
                    todo.append((value, depth + 1))
        elif kind is list:
            todo.extend((x, depth + 1) for x in node if x is not None and type(x) is not str)
        elif node is not None and kind is not str:
            return False
    return True


def _as_written(data: Any, text: str) -> bool:
    """Make ``data`` what the careful parser gives, if that can be known; False if not."""
    if isinstance(data, dict) and isinstance(data.get("sclearn"), int):
        number = data["sclearn"]
        written = _FORMAT.findall("\n" + text)  # the first line too
        if isinstance(number, bool) or written != [str(number)]:
            return False
        data["sclearn"] = written[0]
    return _plain(data)


class Deferred(Locations):
    """Locations found the first time any is asked for: from the text by ``files.locate``
    where it can follow the file, else by the careful parser.

    With ``keep_tree`` the careful parser's node tree (``tree``) is there too, parsed when
    first asked for, so the YAML trap check (``files.lint``) can tell from ``data`` whether
    it needs the tree at all."""

    def __init__(self, src: SourceText, *, keep_tree: bool = False, data: Any = None) -> None:
        self._src: SourceText | None = src  # until the careful parser has read it
        self._keep_tree = keep_tree
        self.data = data
        self._located = False
        self._tree: Any = None
        self._keys: dict[Path_, tuple[int, int]] = {}
        self._values: dict[Path_, tuple[int, int]] = {}

    @property
    def keeps_tree(self) -> bool:
        """Whether the careful parse, once made, keeps its node tree."""
        return self._keep_tree

    @property
    def tree(self) -> Any:
        """The careful parser's node tree (None unless ``keep_tree``); reads the file if need be."""
        self._careful()
        return self._tree

    def _locate(self) -> None:
        if self._located:
            return
        self._located = True
        found = locate(self._src.text, self.data) if self._src is not None else None
        if found is None:
            self._careful()
        else:
            self._keys, self._values = found.keys, found.values

    def _careful(self) -> None:
        src, self._src = self._src, None
        if src is None:
            return
        self._located = True
        try:
            locs = parse_plain(src, keep_tree=self._keep_tree)[1]
        except InvalidFileError:  # cannot happen for a file both parsers accept; no lines then
            return
        self._keys, self._values = locs.keys, locs.values
        if isinstance(locs, Composed):
            self._tree = locs.tree

    @property  # filled on first use
    def keys(self) -> dict[Path_, tuple[int, int]]:
        """Where each key starts."""
        self._locate()
        return self._keys

    @keys.setter
    def keys(self, table: dict[Path_, tuple[int, int]]) -> None:
        self._locate()
        self._keys = table

    @property  # filled on first use
    def values(self) -> dict[Path_, tuple[int, int]]:
        """Where each value starts."""
        self._locate()
        return self._values

    @values.setter
    def values(self, table: dict[Path_, tuple[int, int]]) -> None:
        self._locate()
        self._values = table


class FastParser:
    """yaml_rs where it reads a file exactly as the careful parser would, else the careful one.

    ``locate=False`` is for callers whose results never show a line (collation's figures):
    a file that parses and validates then has no locations at all. ``keep_tree`` keeps the
    careful parser's node tree once lines are asked for (see ``Deferred``).
    """

    name = "yaml_rs"

    def __init__(
        self, *, locate: bool = True, fallback: Parser = CAREFUL, keep_tree: bool = False
    ) -> None:
        self.locate = locate
        self.fallback = fallback
        self.keep_tree = keep_tree
        self._tried = False  # yaml_rs is imported when first needed: `check FILE` never is
        self._function: Callable[..., Any] | None = None

    @property
    def _loads(self) -> Callable[..., Any] | None:
        if not self._tried:
            self._function, self._tried = _import_loads(), True
        return self._function

    @property
    def available(self) -> bool:
        """Whether the fast parser can be used on this machine."""
        return self._loads is not None

    def fast(self, src: SourceText) -> Any:
        """The file's data from yaml_rs, or ``self`` when the careful parser must read it."""
        text = src.text
        # One '---' as the first line only starts the one document (the examples have it).
        loads = self._loads
        if loads is None or _doubtful(text, 4 if text.startswith("---\n") else 0):
            return self
        try:
            data = loads(text, parse_datetime=False)
        except Exception:  # any complaint: the careful parser says it with its line
            return self
        return data if _as_written(data, text) else self

    def parse(self, src: SourceText) -> tuple[Any, Locations]:
        """See ``files.parser.Parser``."""
        data = self.fast(src)
        if data is self:
            careful: tuple[Any, Locations] = self.fallback.parse(src)
            return careful
        if not self.locate:
            return data, Locations()
        return data, Deferred(src, keep_tree=self.keep_tree, data=data)


FAST: Parser = FastParser()
"""The fast parser, locating on demand: for commands that read many files."""
FAST_UNLOCATED: Parser = FastParser(locate=False)
"""The fast parser for figures that never name a line (a file that fails is still located)."""


def is_careful(parser: Parser) -> bool:
    """Whether ``parser`` is the careful one, or always hands over to it."""
    return isinstance(parser, CarefulParser) or (
        isinstance(parser, FastParser) and not parser.available
    )
