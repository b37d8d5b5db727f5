"""Parsing YAML into plain data with every key and value located.

``parse_plain`` builds plain Python data from libyaml's event stream (C speed, no recursion,
no object construction), remembering where every key and value sits so that validation errors
can name a line. It refuses what pledge files never need and attackers love: aliases and
anchors (alias bombs), explicit tags (``!!python/object``), deep nesting and duplicate keys.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml._yaml import CParser

from sclearn.core.errors import InvalidFileError
from sclearn.core.source import Locations, Path_, SourceText
from sclearn.files.decode import problem as _problem
from sclearn.files.decode import read_source
from sclearn.files.yamlerrors import GENERAL, Plain, hidden_character, translate

# Nothing in a pledge or framework file nests deeper than this; refusing early keeps a hostile
# file from costing seconds of CPU before it fails.
MAX_DEPTH = 24


def _yaml_error(path: Path, text: str, exc: yaml.MarkedYAMLError) -> InvalidFileError:
    """The parser's complaint told plainly, at its line (see ``files.yamlerrors``)."""
    what = " ".join(str(x) for x in (exc.problem, exc.context) if x)
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    if "nesting depth" in what:  # libyaml's own guard can fire before ours
        return _problem(
            path,
            f"nests deeper than {MAX_DEPTH} levels",
            line,
            None,
            hint="pledge files are only a few levels deep; check the brackets",
        )
    ctx = exc.context_mark
    try:
        told = translate(
            text,
            str(exc.problem or ""),
            str(exc.context or ""),
            line,
            mark.column + 1 if mark else None,
            ctx.line + 1 if ctx else None,
        )
    except (IndexError, ValueError):  # an odd file the guesses do not fit: say it simply
        told = Plain(line, None, "sclearn cannot make sense of this line", GENERAL)
    return _problem(path, told.message, told.line, told.column, hint=told.hint)


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
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge")
)
# A '!' that may begin a tag (after a space, bracket or comma), and the tag as written.
_MAYBE_TAG = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)
_TAG = re.compile(r"![^\s,\[\]{}]*")


class Composed(Locations):
    """Locations that also keep libyaml's node tree, for the YAML trap check (``files.lint``),
    which would otherwise compose the whole file a second time."""

    def __init__(self, tree: yaml.Node | None = None) -> None:
        super().__init__()
        self.tree = tree


def parse_plain(src: SourceText, *, keep_tree: bool = False) -> tuple[Any, Locations]:
    """Plain data and locations from text, refusing unsafe or needless YAML features.

    libyaml composes the node tree in C; the walk below only turns nodes into dicts, lists and
    text, refusing anchors and aliases (a node met twice), tags, deep nesting and
    duplicate keys on the way. With ``keep_tree`` the locations are ``Composed``, holding the
    tree (only for a file the walk accepts).
    """
    path = src.path
    locs = Composed() if keep_tree else Locations()
    loader = _Loader(src.text)
    try:
        try:
            root_node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in str(exc):
                m = exc.problem_mark
                raise _problem(
                    path,
                    "holds more than one YAML document (a second '---')",
                    m.line + 1 if m else None,
                    None,
                    "keep one document per file",
                ) from None
            raise
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(path, src.text, exc) from exc
    except yaml.reader.ReaderError as exc:  # a control character
        told = hidden_character(src.text, exc.position, exc.character)
        raise _problem(path, told.message, told.line, told.column, told.hint) from exc
    except yaml.YAMLError as exc:
        raise _problem(
            path,
            "sclearn cannot read this file as a pledge file",
            hint="compare it with the files in the examples folder",
        ) from exc
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
                raise _problem(
                    path,
                    "uses a YAML anchor (&name); pledge files do not need them",
                    m.line + 1,
                    m.column + 1,
                    "remove the &name",
                )
            if isinstance(token, yaml.TagToken):
                m = token.start_mark
                tag = _TAG.match(src.text.split("\n")[m.line], m.column)
                raise _problem(
                    path,
                    f"uses the YAML tag '{tag[0] if tag else '!'}', which sclearn does not accept",
                    m.line + 1,
                    m.column + 1,
                    "remove the tag: sclearn reads every "
                    "value as written (put text that starts with '!' in quotes)",
                )
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
                raise refuse(
                    "uses a YAML alias (*name); pledge files do not need them",
                    node,
                    "write the text out in full instead of referring to an anchor",
                )
            seen.add(id(node))
        if node.tag not in _CORE_TAGS:
            raise refuse(
                f"uses the YAML tag {node.tag!r}, which sclearn does not accept",
                node,
                "remove the tag; plain text, lists and mappings suffice",
            )
        m = node.start_mark
        values[where] = (m.line + 1, m.column + 1)
        if isinstance(node, yaml.ScalarNode):
            # Only a plain empty, ~ or null resolves to the null tag; all else stays as text.
            return None if node.tag == _NULL_TAG else node.value
        if depth >= MAX_DEPTH:
            raise refuse(
                f"nests deeper than {MAX_DEPTH} levels",
                node,
                "pledge files are only a few levels deep",
            )
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise refuse("a key must be plain text, not a list or a mapping", key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise refuse("uses a YAML merge key (<<); pledge files do not need them", key_node)
            name = key_node.value
            if name in out:
                first = locs.keys.get((*where, name), (None,))[0]
                raise refuse(
                    f"the key '{name}' appears twice in the same place"
                    + (f" (first on line {first})" if first else ""),
                    key_node,
                    "keep one of them and move what the other holds into it",
                )
            k = key_node.start_mark
            keys[(*where, name)] = (k.line + 1, k.column + 1)
            out[name] = build(value_node, (*where, name), depth + 1)
        return out

    data = build(root_node, (), 0)
    if isinstance(locs, Composed):
        locs.tree = root_node
    return data, locs


def load_plain(path: Path) -> tuple[Any, Locations, SourceText]:
    """Read and parse a file with the careful parser."""
    src = read_source(path)
    data, locs = parse_plain(src)
    return data, locs, src


class Parser(Protocol):
    """Turns a file's text into plain data with every key and value located, or refuses it.

    Every parser must give what ``parse_plain`` gives for the files it accepts (values as
    written: only "nothing" is recognised, all else is text) and refuse what it refuses: a
    faster parser that cannot be sure of a file hands it to the careful one.
    """

    name: str

    def parse(self, src: SourceText) -> tuple[Any, Locations]:
        """Plain data (dicts, lists, text, None) and where each part stands."""
        ...


class CarefulParser:
    """libyaml's C parser with every guard: the reference every other parser must match.

    ``keep_tree`` keeps the node tree with the locations (see ``Composed``)."""

    name = "libyaml"

    def __init__(self, *, keep_tree: bool = False) -> None:
        self.keep_tree = keep_tree

    def parse(self, src: SourceText) -> tuple[Any, Locations]:
        """See ``parse_plain``."""
        return parse_plain(src, keep_tree=self.keep_tree)


CAREFUL: Parser = CarefulParser()
