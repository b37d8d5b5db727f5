"""Themes, not strings: free-text factors grouped so the board sees what people keep citing.

How a theme is made (the README's "How themes are made" says the same in plain words):

1. Each text is reduced to a *key*: case folded, punctuation dropped, plurals made singular
   ("times" -> "time"), and common words left out ("the", "of", "lack", "more", ...). So
   "Time", "time." and "times" share one key.
2. Keys are counted exactly. Only a few wordings of each are kept (as examples), never every
   text; past ``cap`` different keys, keys cited only once so far are let go (counted in
   ``total`` and ``dropped``), so memory stays flat at county scale.
3. When the themes are asked for, keys join a theme, most cited first: a key within one or two
   typing slips of a theme's key joins it ("supervison" and "supervision"; keys of up to 40
   characters, where a slip splits a theme); a key holding every word of a short theme joins
   it ("protected time to write" joins "time").

All of it is deterministic: the same files give the same themes, in the same order.

Near-duplicates are found with the standard library's ``difflib`` among the most cited keys
only (``POOL``), which keeps it quick without a compiled dependency; the long tail joins themes
by shared words through an index.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "for",
        "from",
        "get",
        "gets",
        "getting",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "lack",
        "lot",
        "lots",
        "make",
        "making",
        "me",
        "more",
        "most",
        "much",
        "my",
        "need",
        "needed",
        "needs",
        "no",
        "not",
        "of",
        "on",
        "only",
        "or",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "really",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
SIMILAR = 0.85  # difflib ratio at or above which two keys are the same factor mistyped
POOL = 300  # the most cited keys compared with each other for near-duplicates
# Only keys this short are compared for typing slips: a slip in a short factor ("supervison")
# splits a theme, one in a long sentence does not, and comparing long keys costs most.
NEAR_CHARS = 40
SHORT = 3  # a theme of at most this many words takes in the longer keys that contain it
EXAMPLES = 3  # real wordings kept per key, and shown per theme
_WORD = re.compile(r"[^\W_]+")


def singular(word: str) -> str:
    """A plural made singular by the common English rules; short words are left alone."""
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


def theme_key(text: str) -> str:
    """What two texts must share to be the same factor: their words, made singular, without
    common words (or all the words, when every one is common)."""
    words = [singular(w) for w in _WORD.findall(text.casefold())]
    kept = [w for w in words if w not in STOP_WORDS]
    return " ".join(kept or words)


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme as a report shows it: a label, how often it was cited, real examples."""

    label: str
    count: int
    examples: tuple[str, ...]
    wordings: int  # how many different keys joined it
    owners: int = 0  # how many owners cited it, where Themes counts them


@dataclass(slots=True)
class _Group:
    words: frozenset[str]  # the theme's core: what a longer key must contain to join
    key: str
    members: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Themes:
    """Counts of factors by key, with a few real wordings each; see the module's notes."""

    cap: int = 20_000
    counts: dict[str, int] = field(default_factory=dict)
    wordings: dict[str, list[str]] = field(default_factory=dict)
    total: int = 0  # texts added
    dropped: int = 0  # texts let go to keep memory flat (see ``cap``)
    # Who cited each key, for a report that must not show a count of fewer than K owners;
    # None: not counted.
    owners: dict[str, set[str]] | None = None

    def add(self, text: str, times: int = 1, who: Iterable[str] = ()) -> None:
        """Count one text (``times`` times), cited by ``who``; blank texts are ignored."""
        shown = " ".join(text.split())
        key = theme_key(shown)
        if not key:
            return
        self.total += times
        if self.owners is not None:
            self.owners.setdefault(key, set()).update(who)
        self.counts[key] = self.counts.get(key, 0) + times
        seen = self.wordings.setdefault(key, [])
        if len(seen) < EXAMPLES and shown not in seen:
            seen.append(shown)
        if len(self.counts) > self.cap:
            self._let_go()

    def _let_go(self) -> None:
        once = [k for k, n in self.counts.items() if n == 1]
        for k in once:
            del self.counts[k]
            del self.wordings[k]
            if self.owners is not None:
                self.owners.pop(k, None)
        self.dropped += len(once)
        if len(self.counts) > self.cap:  # every key cited more than once: keep the most cited
            keep = sorted(self.counts, key=lambda k: (-self.counts[k], k))[: self.cap // 2]
            for k in set(self.counts) - set(keep):
                self.dropped += self.counts.pop(k)
                del self.wordings[k]
                if self.owners is not None:
                    self.owners.pop(k, None)

    def mapped(self, change: Callable[[str], str]) -> Themes:
        """The same counts with every wording changed (names removed, say) and keyed again:
        two wordings can become one factor."""
        out = Themes(self.cap, total=0, dropped=self.dropped)
        if self.owners is not None:
            out.owners = {}
        for key, n in self.counts.items():
            first, *rest = [change(w) for w in self.wordings[key]]
            out.add(first, n, self.owners.get(key, ()) if self.owners is not None else ())
            for w in rest:
                out.add(w, 0)
        out.total = self.total
        return out

    def themes(self, limit: int = 15) -> list[Theme]:
        """The ``limit`` most cited themes, most cited first (ties by key)."""
        order = sorted(self.counts, key=lambda k: (-self.counts[k], k))
        groups: list[_Group] = []
        by_word: dict[str, list[int]] = {}  # word: indexes of short groups with it in their core
        # First two letters: (group, key) of the most cited keys, for near-duplicates.
        by_start: dict[str, list[tuple[int, str]]] = {}

        def new_group(key: str, words: frozenset[str]) -> None:
            groups.append(_Group(words, key, [key]))
            if key.count(" ") < SHORT:
                for w in words:
                    by_word.setdefault(w, []).append(len(groups) - 1)

        for rank, key in enumerate(order):
            words = frozenset(key.split())
            found = self._containing(groups, by_word, words)
            near = rank < POOL and len(key) <= NEAR_CHARS
            if found is None and near:
                found = _near(by_start.get(key[:2], []), key)
            if found is None and rank < POOL and key.count(" ") < SHORT:
                found = next((i for i, g in enumerate(groups) if words < g.words), None)
                if found is not None:  # a shorter key: the theme's core narrows to it
                    groups[found].words = words
                    for w in words:
                        by_word.setdefault(w, []).append(found)
            if found is None:
                new_group(key, words)
                found = len(groups) - 1
            else:
                groups[found].members.append(key)
            if near:
                by_start.setdefault(key[:2], []).append((found, key))
        themes = [self._theme(g) for g in groups]
        themes.sort(key=lambda t: -t.count)  # stable: ties keep the order of their keys
        return themes[:limit]

    @staticmethod
    def _containing(
        groups: list[_Group], by_word: dict[str, list[int]], words: frozenset[str]
    ) -> int | None:
        candidates = sorted({i for w in words for i in by_word.get(w, ())})
        return next((i for i in candidates if groups[i].words <= words), None)

    def _theme(self, g: _Group) -> Theme:
        # The label: the most cited wording, the shortest of equals.
        members = sorted(g.members, key=lambda k: (-self.counts[k], k.count(" "), k))
        examples: list[str] = []
        for key in members:
            for w in self.wordings[key]:
                if w not in examples and len(examples) < EXAMPLES:
                    examples.append(w)
        return Theme(
            label=self.wordings[members[0]][0],
            count=sum(self.counts[k] for k in members),
            examples=tuple(examples),
            wordings=len(members),
            owners=len(set().union(*(self.owners.get(k, set()) for k in members)))
            if self.owners is not None
            else 0,
        )

    def owner_count(self) -> int:
        """How many owners cited any of these texts (0 where they are not counted)."""
        return len(set().union(*self.owners.values())) if self.owners else 0


def _near(known: Iterable[tuple[int, str]], key: str) -> int | None:
    """The group of a known key a typing slip or two away from ``key``, if any."""
    matcher = difflib.SequenceMatcher(b=key, autojunk=False)
    for i, other in known:
        matcher.set_seq1(other)
        if (
            matcher.real_quick_ratio() >= SIMILAR
            and matcher.quick_ratio() >= SIMILAR
            and matcher.ratio() >= SIMILAR
        ):
            return i
    return None
