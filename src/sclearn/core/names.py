"""Removing people's names from free text, for outputs that must single no one out.

Erring towards removing: every name the collated files give (owners, members, line managers)
and capitalised name-like words next to words such as "Mum", "Mr" or "child" become
"[name removed]".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

NAME_REMOVED = "[name removed]"
# A word: letters and digits, joined by an apostrophe or a hyphen ("O'Neil", "Mary-Jane").
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# Words a person's name can hold that are not the name: titles and joining words.
_NOT_NAME_PARTS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "rev",
        "de",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "du",
        "del",
        "al",
        "el",
        "bin",
        "ben",
        "and",
        "the",
        "of",
    }
)
# Words that stand next to a name: "Mum Sarah", "Mr Smith", "baby Amelia", "Kayla's mum".
_CUES = frozenset(
    {
        "mum",
        "mummy",
        "mam",
        "mom",
        "mother",
        "dad",
        "daddy",
        "father",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "child",
        "baby",
        "nan",
        "nana",
        "nanna",
        "gran",
        "granny",
        "grandma",
        "grandad",
        "grandpa",
        "grandmother",
        "grandfather",
        "auntie",
        "aunty",
        "aunt",
        "uncle",
        "stepmum",
        "stepdad",
        "sibling",
        "brother",
        "sister",
        "son",
        "daughter",
        "carer",
        "yp",
        "cyp",
    }
)
# What may stand between a cue and the name after it: "Mr. Smith", "mum (Tasha)", "Mum, Sarah".
_CUE_GAP = re.compile(r"\.?(?:\s*[,:(]\s*|\s+)")
# Capitalised words that follow such a cue in the way practice is written about, not names.
_NOT_NAMES = frozenset(
    {
        "i",
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "to",
        "of",
        "for",
        "with",
        "is",
        "was",
        "has",
        "had",
        "who",
        "which",
        "when",
        "where",
        "this",
        "that",
        "it",
        "protection",
        "protecting",
        "need",
        "needs",
        "care",
        "looked",
        "exploitation",
        "sexual",
        "criminal",
        "death",
        "safeguarding",
        "practice",
        "review",
        "reviews",
        "plan",
        "plans",
        "services",
        "service",
        "social",
        "health",
        "mental",
        "centred",
        "centered",
        "focus",
        "focused",
        "led",
        "friendly",
        "development",
        "developmental",
        "abuse",
        "neglect",
        "conference",
        "conferences",
        "panel",
        "board",
        "partnership",
        "welfare",
        "assessment",
        "poverty",
        "benefit",
        "benefits",
        "trust",
        "act",
        "arrangements",
        "guidance",
    }
)


def _bare(word: str) -> str:
    """A word without its possessive: "Priya's" is "Priya"."""
    return _POSSESSIVE.sub("", word) if "'" in word or "’" in word else word


def _name_like(word: str) -> bool:
    return (
        word[:1].isupper()
        and not any(ch.isdigit() for ch in word)
        and _bare(word).casefold() not in _NOT_NAMES
    )


def _name_words(name: str) -> list[str]:
    """The words of a person's name that could stand alone: "Priya" and "Shah" of "Priya Shah"."""
    out = []
    for word in _WORD.findall(name):
        for part in {word, *re.split(r"['’-]", word)}:
            key = part.casefold()
            if (
                len(part) >= 2
                and not any(ch.isdigit() for ch in part)
                and key not in _NOT_NAME_PARTS
            ):
                out.append(key)
    return out


def name_remover(people: Iterable[str] = (), phrases: Iterable[str] = ()) -> Callable[[str], str]:
    """A function that replaces names in a text with ``[name removed]``.

    Removed: every name in ``people`` and ``phrases`` as written (any case); each word of a
    person's name on its own when it starts with a capital ("Priya helped me", "Mrs Shah");
    and capitalised name-like words next to words such as "Mum", "Mr", "child" or "baby"
    ("Mum Sarah", "baby Amelia", "Kayla's dad"). ``phrases`` are names that are removed only
    whole (a team's name: "Early Help Team" goes, "help" stays). It errs towards removing: a
    name missed is a leak, a word lost costs a little sense.
    """
    single: set[str] = set()
    whole: dict[str, list[tuple[str, ...]]] = {}  # first word: every name starting with it
    for name, is_person in [*((n, True) for n in people), *((n, False) for n in phrases)]:
        if is_person:  # "Kamal Hussain (family support worker)": the brackets hold no name
            name = _BRACKETED.sub(" ", name)
        words = tuple(w.casefold() for w in _WORD.findall(name))
        if not words:
            continue
        if len(words) > 1 or not is_person:
            whole.setdefault(words[0], []).append(words)
        if is_person:
            single.update(_name_words(name))
    for names in whole.values():
        names.sort(key=len, reverse=True)  # the longest name first

    def whole_name(text: str, tokens: list[re.Match[str]], i: int, key: str) -> int:
        """How many words from ``i`` on make one of the names removed only whole."""
        for words in whole.get(key) or whole.get(_bare(key)) or ():
            n = len(words)
            if i + n > len(tokens) or (n == 1 and not tokens[i].group()[:1].isupper()):
                continue  # a one-word team name inside a sentence is a common word
            if all(
                _bare(tokens[i + j].group().casefold()) == words[j]
                or tokens[i + j].group().casefold() == words[j]
                for j in range(n)
            ) and all(
                text[tokens[i + j].end() : tokens[i + j + 1].start()].isspace()
                for j in range(n - 1)
            ):
                return n
        return 0

    def spans(text: str) -> Iterator[tuple[int, int]]:
        tokens = list(_WORD.finditer(text))
        for i, tok in enumerate(tokens):
            word = tok.group()
            key = word.casefold()
            n = whole_name(text, tokens, i, key) if whole else 0
            if n:
                last = tokens[i + n - 1]
                yield tok.start(), last.start() + len(_bare(last.group()))
            elif word[:1].isupper() and _bare(key) in single:
                yield tok.start(), tok.start() + len(_bare(word))
            if _bare(key) not in _CUES:
                continue
            if key != _bare(key) and i + 1 < len(tokens) and _name_like(tokens[i + 1].group()):
                continue  # "Mum's Sarah" is not a phrase; "Mum's" is no cue
            # Before the cue: "Kayla's dad".
            if i and text[tokens[i - 1].end() : tok.start()].isspace():
                before = tokens[i - 1].group()
                if before != _bare(before) and _name_like(before):
                    yield tokens[i - 1].start(), tokens[i - 1].start() + len(_bare(before))
            # After it: "Mum Sarah", "baby Amelia Rose" (not "Child Protection").
            for j in (i + 1, i + 2):
                if j >= len(tokens) or not _name_like(tokens[j].group()):
                    break
                gap = text[tokens[j - 1].end() : tokens[j].start()]
                if not (_CUE_GAP.fullmatch(gap) if j == i + 1 else gap.isspace()):
                    break
                yield tokens[j].start(), tokens[j].start() + len(_bare(tokens[j].group()))

    def remove(text: str) -> str:
        if not text:
            return text
        found = sorted(set(spans(text)))
        if not found:
            return text
        out, pos = [], 0
        for start, end in found:
            if end <= pos:
                continue
            out.append(text[pos : max(pos, start)])
            if start >= pos:
                out.append(NAME_REMOVED)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    return remove
