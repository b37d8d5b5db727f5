"""YAML traps: what a person typed that the file format quietly reads another way.

Each of these is valid YAML, so nothing else would say a word, yet what was meant is changed:

- text after `` #`` in unquoted text is a comment, and is dropped;
- ``pledges: [see the child alone, record their words]`` is two pledges, not one sentence;
- a line indented one space too far is glued onto the item above it;
- ``- Sam Patel, Alex Morgan`` under members is one member, not two.

Each is reported as a warning at its line, with the line written the way that keeps what was
meant. The checks need the file's text, not only its data: hence a module of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import yaml

from sclearn.core.errors import InvalidFileError, Problem
from sclearn.core.framework import Framework
from sclearn.core.source import Locations, SourceText
from sclearn.files.fastparse import Deferred
from sclearn.files.parser import Composed, parse_plain
from sclearn.files.yamlerrors import quoted, split_lines

Loc = tuple[str | int, ...]
Labeller = Callable[[Loc], str | None]

# Keys whose values are words from a fixed list, codes, dates or numbers, not free text.
_NOT_TEXT = frozenset(
    {"sclearn", "framework", "dates", "kind", "progress", "balance", "source", "email", "phone"}
)
# Lists of short texts, where a flow list `[a, b]` may be one sentence cut at its commas.
_TEXT_LISTS = frozenset(
    {"good_practice", "pledges", "helps", "hinders", "signs_of_success", "members"}
)
_JOINERS = ("and ", "or ", "but ", "then ", "so ", "to ", "with ", "when ", "if ")
_SEVERAL = re.compile(r",|;| and | & ", re.IGNORECASE)


def _lead(line: str) -> str:
    """What comes before the value on a line: its indentation, and '- ' or 'key: '."""
    m = re.match(r"\s*-\s+", line) or re.match(r"\s*[^\s:#'\"][^:#]*:\s+", line)
    return m.group(0) if m else ""


def point_labels(fw: Framework) -> Labeller:
    """Names the point a location belongs to ("point 4 (Assessment)", "extra point 1")."""
    ids = {p.id for p in fw.points}

    def label(loc: Loc) -> str | None:
        if len(loc) >= 2 and loc[0] == "points" and loc[1] in ids:
            return fw.point_label(str(loc[1]))
        if len(loc) >= 2 and loc[0] == "extra_points" and isinstance(loc[1], int):
            return f"extra point {loc[1] + 1}"
        return None

    return label


def _walk(node: yaml.Node, loc: Loc) -> Iterator[tuple[yaml.Node, Loc]]:
    """Every node that may hold text, with its place: what is below a key in ``_NOT_TEXT``
    is not text, so it is not gone into."""
    yield node, loc
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, (*loc, i))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value not in _NOT_TEXT:
                yield from _walk(value, (*loc, key.value))


def _list_name(loc: Loc) -> str | None:
    """The text list a location is in or is (``pledges``), if any."""
    for part in reversed(loc):
        if isinstance(part, str):
            return part if part in _TEXT_LISTS else None
    return None


def traps(src: SourceText, label: Labeller | None = None) -> list[Problem]:
    """The YAML traps in a file that parses, each a located warning (none if it does not)."""
    try:
        root = yaml.compose(src.text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return []
    return traps_in(root, src, label)


def traps_in(
    root: yaml.Node | None, src: SourceText, label: Labeller | None = None
) -> list[Problem]:
    """The YAML traps of ``src`` found in its node tree ``root``, already composed."""
    if root is None:
        return []
    lines = split_lines(src.text)
    found: list[Problem] = []

    def warn(line: int, column: int, loc: Loc, message: str, hint: str) -> None:
        found.append(
            Problem(
                message,
                src.path,
                line,
                column,
                hint=hint,
                severity="warning",
                loc=loc,
                point=label(loc) if label else None,
            )
        )

    for node, loc in _walk(root, ()):
        if isinstance(node, yaml.ScalarNode) and not node.style and node.value:
            _comment(node, loc, lines, warn)
            _glued_item(node, loc, lines, warn)
            if loc[:2] == ("owner", "members") and len(loc) == 3:
                _several_people(node, loc, lines, warn)
        elif isinstance(node, yaml.SequenceNode) and node.flow_style:
            _cut_sentence(node, loc, lines, warn)
    return found


Warn = Callable[[int, int, Loc, str, str], None]


def _comment(node: yaml.ScalarNode, loc: Loc, lines: list[str], warn: Warn) -> None:
    """Text, one space, then '#': meant as part of the text, read as a comment and dropped."""
    end = node.end_mark
    line = lines[end.line] if end.line < len(lines) else ""
    rest = line[end.column :]
    if not re.match(r" #", rest) or node.start_mark.line != end.line:
        return
    dropped = rest[1:]
    whole = node.value + rest
    warn(
        end.line + 1,
        end.column + 2,
        loc,
        f"everything from '#' on is left out of the text: '{dropped}'",
        "an unquoted ' #' starts a comment. If it is part of the text, put the whole text "
        f"in quotes:\n  {line[: node.start_mark.column]}{quoted(whole)}\n"
        "If it is a note to yourself, put two spaces before the '#'.",
    )


def _glued_item(node: yaml.ScalarNode, loc: Loc, lines: list[str], warn: Warn) -> None:
    """A continuation line that starts '- ': a new item indented too far, glued on."""
    start, end = node.start_mark, node.end_mark
    for n in range(start.line + 1, min(end.line + 1, len(lines))):
        text = lines[n]
        if text.lstrip().startswith("- "):
            above = lines[start.line]
            dash = len(above) - len(above.lstrip())
            warn(
                n + 1,
                len(text) - len(text.lstrip()) + 1,
                loc,
                "this line became part of the item above it, because it is indented "
                "further than that item's '-'",
                f"if it is a new item, start its '-' in column {dash + 1}, like the one on "
                f"line {start.line + 1}:\n  {' ' * dash}{text.lstrip()}",
            )
            return


def _several_people(node: yaml.ScalarNode, loc: Loc, lines: list[str], warn: Warn) -> None:
    """``- Sam Patel, Alex Morgan``: several members typed as one."""
    names = [x.strip() for x in _SEVERAL.split(node.value) if x.strip()]
    if len(names) < 2 or (all(len(x.split()) == 1 for x in names) and len(names) == 2):
        return  # "Patel, Sam" is one person, surname first
    line = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
    dash = len(line) - len(line.lstrip())
    items = "\n".join(f"  {' ' * dash}- {quoted(x) if ':' in x or '#' in x else x}" for x in names)
    warn(
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        loc,
        f"'{node.value}' is one member, but looks like {len(names)} people",
        f"give each person a line of their own, starting '- ':\n{items}",
    )


def _cut_sentence(node: yaml.SequenceNode, loc: Loc, lines: list[str], warn: Warn) -> None:
    """``[I will see the child alone, record their words]``: one sentence cut at commas?"""
    name = _list_name(loc)
    items = node.value
    if name is None or len(items) < 2:
        return
    if not all(isinstance(x, yaml.ScalarNode) and not x.style for x in items):
        return
    texts = [str(x.value) for x in items]
    later = texts[1:]
    if not any(t[:1].islower() or t.lower().startswith(_JOINERS) for t in later):
        return
    start = node.start_mark
    line = lines[start.line] if start.line < len(lines) else ""
    indent = " " * (len(line) - len(line.lstrip()) + 2)
    one = ", ".join(texts)
    warn(
        start.line + 1,
        start.column + 1,
        loc,
        f"the commas inside [ ] make this {len(texts)} separate items under {name}: "
        + ", ".join(f"'{t}'" for t in texts),
        f"if it is one item, write it on its own line under {name}:, starting '- ':\n"
        f"  {indent}- {quoted(one)}\n"
        "If they are separate items, give each its own line starting '- '.",
    )


def explain(problems: Sequence[Problem], src: SourceText) -> list[Problem]:
    """Problems of a file that did not validate, with the line written as it should be where
    that can be guessed, and the YAML traps in it."""
    lines = split_lines(src.text)
    out = []
    for p in problems:
        if p.line and "': ' split it" in p.message and p.line <= len(lines):
            line = lines[p.line - 1]
            lead = _lead(line)
            value = line[len(lead) :].rstrip()
            if value and not value.startswith(("'", '"')):
                p = replace(p, hint=f"put the whole text in quotes:\n  {lead}{quoted(value)}")
        out.append(p)
    try:  # the traps are looked for only in text the careful parser accepts (no aliases...)
        locs = parse_plain(src, keep_tree=True)[1]
    except InvalidFileError:
        return out
    return with_traps(out, src, found=traps_in(getattr(locs, "tree", None), src))


def with_traps(
    problems: Sequence[Problem],
    src: SourceText,
    label: Labeller | None = None,
    *,
    found: Sequence[Problem] | None = None,
) -> list[Problem]:
    """``problems`` and the file's YAML traps (``found``, if already looked for), in the
    order of their lines."""
    found = traps(src, label) if found is None else found
    if not found:
        return list(problems)
    return sorted([*problems, *found], key=lambda p: (p.line or 0, p.column or 0))


# What a trap needs in the text, on a line that is not a comment: text then ' #' (a comment),
# or a flow list whose first item is not quoted `[a, b]` (see ``_cut_sentence``: all plain).
_TRAP_TEXT = re.compile(r"^[ ]*[^#\s][^\n]*(?:\S #|\[\s*[^\s\]\"'])", re.MULTILINE)


def trap_marked(text: str) -> bool:
    """Whether ``_TRAP_TEXT`` finds anything in ``text``: tried only on the lines that hold
    ' #' or '[', as searching the whole text tries every line (a millisecond a file)."""
    for mark in (" #", "["):
        i = text.find(mark)
        while i >= 0:
            if _TRAP_TEXT.match(text, text.rfind("\n", 0, i) + 1):
                return True
            end = text.find("\n", i)
            if end < 0:
                break
            i = text.find(mark, end + 1)
    return False


def _trap_text(node: Any) -> bool:
    """Whether any text in parsed data may be a glued item: a line that starts with '-' was
    folded into it (as " - " or "\n- ")."""
    todo = [node]
    while todo:
        x = todo.pop()
        if isinstance(x, str):
            if " -" in x or "\n-" in x:
                return True
        elif isinstance(x, dict):
            todo.extend(x.values())
        elif isinstance(x, list):
            todo.extend(x)
    return False


def _several(data: Any) -> bool:
    """Whether any member may be several people typed as one (see ``_several_people``)."""
    owner = data.get("owner") if isinstance(data, dict) else None
    members = owner.get("members") if isinstance(owner, dict) else None
    if members is None:
        return False
    if not isinstance(members, list):
        return True
    for m in members:
        if not isinstance(m, str):
            continue
        names = [x.strip() for x in _SEVERAL.split(m) if x.strip()]
        if len(names) >= 2 and not (all(len(x.split()) == 1 for x in names) and len(names) == 2):
            return True
    return False


def may_have_traps(text: str, data: Any) -> bool:
    """False only when the file certainly holds no YAML trap, found from its text and parsed
    data, without composing it again: each trap needs one of these marks (a property test
    holds ``traps`` to it)."""
    return trap_marked(text) or _trap_text(data) or _several(data)


def traps_of(src: SourceText, locs: Locations, label: Labeller | None = None) -> list[Problem]:
    """The YAML traps of a file already parsed into ``locs``, composing it once more only when
    the parse kept no node tree and the file may hold a trap."""
    if isinstance(locs, Composed):
        return traps_in(locs.tree, src, label)
    deferred = locs if isinstance(locs, Deferred) and locs.keeps_tree else None
    if deferred is None:
        return traps(src, label)
    if may_have_traps(src.text, deferred.data):
        # The careful parse (made now if not yet) gives the tree and every line at once.
        return traps_in(deferred.tree, src, label)
    return []  # not even walked when the careful parse was made for the lines
