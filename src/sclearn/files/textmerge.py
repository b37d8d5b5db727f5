"""A three-way line merge: put a program's edit into a file without touching the user's layout.

A program that edits a hand-written file through a parser and a printer sees three texts:

* ``original``: the file as it is on disk, with its own line endings, trailing spaces, final
  newline (or none) and every formatting choice its author made;
* ``base``: the printer's rendering of the file as it was read, before any edit;
* ``edited``: the printer's rendering after the edit.

Where ``base`` and ``original`` differ, the printer could not reproduce the author's layout;
where ``base`` and ``edited`` differ is the edit. The merge (a diff3) makes both sets of changes
to ``base``, so every line the edit does not reach stays byte-for-byte as the author wrote it.
Changes next to each other are both made; two additions at one place keep both (the edit's
first). Only where an edit and a layout difference cover the same line of ``base`` do they
clash: if the edit merely adds lines before or after that region, the author's region stays;
otherwise the smallest region holding the clash is taken from ``edited`` and reported in
``MergeResult.hunks``, never silently.

Lines are compared without their line ending and trailing spaces and tabs, so those count as
layout; new lines take the file's most common line ending, and the file keeps its final
newline, or its lack of one. Nothing here knows YAML beyond ``#`` comments (named when one is
lost): ``rewrite`` asks its caller to check that the result means what ``edited`` means, and
falls back to ``edited`` itself, saying so, when it does not.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_ENDINGS = ("\r\n", "\n", "\r")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its own ending ("\\r\\n", "\\n", "\\r" or none)."""
    return _LINE.findall(text)


def _ending(line: str) -> str:
    for end in _ENDINGS:
        if line.endswith(end):
            return end
    return ""


def plain_key(line: str) -> str:
    """What a line says, ignoring its ending and trailing blanks (both count as layout)."""
    return line.rstrip("\r\n").rstrip(" \t")


def dominant_newline(text: str) -> str:
    """The line ending used most in ``text`` ("\\n" when there is none, or on a tie)."""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    best = max(counts.values())
    return next(end for end in ("\n", "\r\n", "\r") if counts[end] == best)


@dataclass(frozen=True)
class Hunk:
    """A region where the edit met the author's own layout, so the edited text was taken.

    ``start`` and ``end`` are 1-based, inclusive line numbers in the merged text (``end`` is
    ``start - 1`` when the region became empty); ``replaced`` holds the original's lines there.
    """

    start: int
    end: int
    replaced: tuple[str, ...]


@dataclass(frozen=True)
class MergeResult:
    """The merged text and the regions whose original layout could not be kept."""

    text: str
    hunks: list[Hunk] = field(default_factory=list)


@dataclass(frozen=True)
class _Change:
    """One side's change: B's lines ``b1:b2`` (empty for an insertion) become ``lines``."""

    side: str  # "o" (the author's layout) or "e" (the edit)
    b1: int
    b2: int
    lines: list[str]

    def clashes(self, other: _Change) -> bool:
        """Whether the two changes touch the same line of B, so that both cannot be made."""
        if self.b1 == self.b2 and other.b1 == other.b2:
            return False  # two insertions at one place: both are kept, the edit's first
        if self.b1 == self.b2:
            return other.b1 < self.b1 < other.b2
        if other.b1 == other.b2:
            return self.b1 < other.b1 < self.b2
        return self.b1 < other.b2 and other.b1 < self.b2


def _changes(
    side: str, base: list[str], ours: list[str], lines: list[str]
) -> tuple[list[_Change], dict[int, int]]:
    """How ``ours`` differs from ``base``, and where each unchanged line of ``base`` is."""
    matcher = difflib.SequenceMatcher(None, base, ours, autojunk=False)
    changes: list[_Change] = []
    same: dict[int, int] = {}
    for tag, b1, b2, x1, x2 in matcher.get_opcodes():
        if tag == "equal":
            same.update((b1 + k, x1 + k) for k in range(b2 - b1))
        else:
            changes.append(_Change(side, b1, b2, lines[x1:x2]))
    return changes, same


def _clusters(o_changes: list[_Change], e_changes: list[_Change]) -> list[list[_Change]]:
    """Groups of changes that clash, directly or through one another."""
    groups: list[list[_Change]] = []
    for e in e_changes:  # an edit never clashes with another edit, so the author's join them
        group = [e, *(o for o in o_changes if e.clashes(o))]
        if len(group) == 1:
            continue
        ids = {id(x) for x in group}
        joined = [g for g in groups if any(id(x) in ids for x in g)]
        group += [x for g in joined for x in g if id(x) not in ids]
        groups = [g for g in groups if all(g is not j for j in joined)] + [group]
    return groups


def _render(
    lo: int, hi: int, changes: list[_Change], same: dict[int, int], lines: list[str]
) -> list[str]:
    """One side's lines for B's lines ``lo:hi``, without its insertions at ``lo`` or ``hi``."""
    inserts = {c.b1: c for c in changes if c.b1 == c.b2}
    replaces = {c.b1: c for c in changes if c.b1 < c.b2}
    out: list[str] = []
    b = lo
    while b < hi:
        if b > lo and b in inserts:
            out += inserts[b].lines
        if b in replaces:
            out += replaces[b].lines
            b = replaces[b].b2
        else:
            out.append(lines[same[b]])
            b += 1
    return out


def merge(
    original: str, base: str, edited: str, key: Callable[[str], str] = plain_key
) -> MergeResult:
    """``original`` with the changes that turn ``base`` into ``edited``; see the module notes.

    ``key`` says what a line means: two lines with the same key are the same line written two
    ways, and the original's way is kept. It must at least ignore the line ending.
    """
    o, b, e = split_lines(original), split_lines(base), split_lines(edited)
    ok, bk, ek = [key(x) for x in o], [key(x) for x in b], [key(x) for x in e]
    newline = dominant_newline(original)
    o_changes, o_same = _changes("o", bk, ok, o)
    e_changes, e_same = _changes("e", bk, ek, e)
    groups = _clusters(o_changes, e_changes)
    grouped = {id(c) for g in groups for c in g}
    starts = {min(c.b1 for c in g): g for g in groups}
    alone = {(c.b1, c.side, c.b1 == c.b2): c for c in o_changes + e_changes if id(c) not in grouped}
    out: list[str] = []
    hunks: list[Hunk] = []

    def fresh(lines: list[str]) -> list[str]:
        return [line.rstrip("\r\n") + newline for line in lines]

    p = 0
    while p <= len(b):
        # Insertions here come first: the edit's, then the author's.
        for side in ("e", "o"):
            c = alone.get((p, side, True))
            if c is not None:
                out += fresh(c.lines) if side == "e" else c.lines
        if p == len(b):
            break
        group = starts.get(p)
        if group is not None:
            hi = max(c.b2 for c in group)
            theirs = _render(p, hi, e_changes, e_same, e)
            mine = _render(p, hi, o_changes, o_same, o)
            out += _settle(
                mine,
                [key(x) for x in mine],
                bk[p:hi],
                theirs,
                [key(x) for x in theirs],
                fresh,
                hunks,
                len(out),
            )
            p = hi
            continue
        o_c, e_c = alone.get((p, "o", False)), alone.get((p, "e", False))
        if o_c is not None:
            out += o_c.lines
            p = o_c.b2
        elif e_c is not None:
            out += fresh(e_c.lines)
            p = e_c.b2
        else:
            out.append(o[o_same[p]])
            p += 1
    # Every line but the last ends a line; the last ends as the original's last line did.
    for i, line in enumerate(out[:-1]):
        if not _ending(line):
            out[i] = line + newline
    if out and o and not _ending(o[-1]):
        out[-1] = out[-1][: len(out[-1]) - len(_ending(out[-1]))]
    elif out and not _ending(out[-1]):
        out[-1] += newline
    return MergeResult("".join(out), hunks)


def _settle(
    mine: list[str],
    mine_k: list[str],
    base_k: list[str],
    theirs: list[str],
    theirs_k: list[str],
    fresh: Callable[[list[str]], list[str]],
    hunks: list[Hunk],
    at: int,
) -> list[str]:
    """Lines where the edit meets lines the author wrote differently from the printer."""
    n = len(base_k)
    if theirs_k == mine_k:
        return mine
    if n and theirs_k[:n] == base_k:  # the edit only adds after this region
        return mine + fresh(theirs[n:])
    if n and theirs_k[len(theirs_k) - n :] == base_k:  # ... or only before it
        return fresh(theirs[: len(theirs) - n]) + mine
    hunks.append(Hunk(at + 1, at + len(theirs), tuple(mine)))
    return fresh(theirs)


# --- in words, for the person whose file it is --------------------------------------------------

_COMMENT = re.compile(r"(?:^|[ \t])(#.*?)[ \t]*$")


def lost_comments(lines: Iterable[str], text: str) -> list[str]:
    """``#`` comments written on ``lines`` that ``text`` no longer holds anywhere (a ``#``
    inside quotes may count as one: better one needless word than a silent loss)."""
    found = (m.group(1) for ln in lines if (m := _COMMENT.search(ln.rstrip("\r\n"))))
    return [c for c in dict.fromkeys(found) if c not in text]


def describe(hunk: Hunk, text: str) -> str:
    """A hunk in plain words ("" for lines the edit removed when no comment went with them)."""
    lost = lost_comments(hunk.replaced, text)
    if hunk.end < hunk.start:
        if not lost:
            return ""
        said = f"near line {hunk.start}, lines the change removed held comments"
    else:
        lines = (
            f"line {hunk.start} was"
            if hunk.end == hunk.start
            else f"lines {hunk.start}-{hunk.end} were"
        )
        said = (
            f"{lines} rewritten in sclearn's own layout, because the change fell inside "
            "them and their own layout could not be kept"
        )
    return said + (f"; these comments were lost: {'; '.join(lost)}" if lost else "")


@dataclass(frozen=True)
class Rewrite:
    """The text to write, and what of the original's layout it could not keep, in words."""

    text: str
    notes: list[str]


def rewrite(
    original: str,
    base: str,
    edited: str,
    *,
    key: Callable[[str], str] = plain_key,
    check: Callable[[str], bool],
) -> Rewrite:
    """Merge, then make sure the result means what ``edited`` means (``check``); if it does
    not, ``edited`` itself (in the original's usual line ending) is the answer, and says so."""
    result = merge(original, base, edited, key)
    if check(result.text):
        notes = [describe(h, result.text) for h in result.hunks]
        return Rewrite(result.text, [n for n in notes if n])
    newline = dominant_newline(original)
    whole = edited.replace("\n", newline) if newline != "\n" else edited
    lost = lost_comments(split_lines(original), whole)
    return Rewrite(
        whole,
        [
            "the whole file was rewritten in sclearn's own layout (indentation, "
            "line breaks), because its own layout could not be kept around the "
            "change" + (f"; these comments were lost: {'; '.join(lost)}" if lost else "")
        ],
    )
