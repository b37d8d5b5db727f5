"""A personal-data check for free text: pledges are about practice, not about children.

Point 9 of the framework asks for care with confidentiality and data protection. This finds
what looks like a child's or family's personal data in the text people write (NHS numbers,
postcodes, dates of birth, phone numbers and e-mail addresses outside the contact fields, and
case references in a board's own formats), so that `check` can warn and the reports can mask
it. It errs towards finding: a warning costs a glance, a leak costs far more.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sclearn.core.errors import Problem
from sclearn.core.pledge import LIST_FIELDS, LoadedPledge, PointEntry
from sclearn.core.walk import entries

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_POSTCODE = re.compile(
    r"\b(GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_DATE = (r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
         r"\d{1,2}(?:st|nd|rd|th)? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
         r",? \d{2,4})")
_DOB_CUE = r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bborn\b|\bdate of birth\b)"
# A date within a few words of the cue, after it ("DOB 12/03/2015") or before ("12/03/2015
# (DOB)").
_DOB = (re.compile(rf"{_DOB_CUE}[^\n\d]{{0,20}}({_DATE})", re.IGNORECASE),
        re.compile(rf"({_DATE})[^\n\d]{{0,12}}{_DOB_CUE}", re.IGNORECASE))
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}"
                    r"(?!\d)")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MAYBE = re.compile(r"[\d@]")


@dataclass(frozen=True)
class Finding:
    """One piece of text that looks like personal data: its kind and where it stands."""
    kind: str
    start: int
    end: int


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def compile_patterns(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    """A board's case reference formats as regular expressions; a broken one is a usage error."""
    from sclearn.core.errors import UsageError

    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise UsageError(f"case reference pattern {p!r} is not a valid pattern: {exc}",
                             hint="write it as a regular expression, e.g. CP-\\d{6}") from None
    return out


def find(text: str, case_patterns: Iterable[re.Pattern[str]] = ()) -> list[Finding]:
    """Every stretch of ``text`` that looks like personal data, in order, not overlapping."""
    found: list[Finding] = []
    if _MAYBE.search(text):  # every built-in pattern needs a digit or an @
        found += [Finding("NHS number", m.start(), m.end()) for m in _NHS.finditer(text)
                  if nhs_number_valid("".join(m.groups()))]
        found += [Finding("date of birth", m.start(1), m.end(1))
                  for pattern in _DOB for m in pattern.finditer(text)]
        found += [Finding("e-mail address", m.start(), m.end()) for m in _EMAIL.finditer(text)]
        found += [Finding("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text)
                  if any(ch.isdigit() for ch in m.group())]
        found += [Finding("phone number", m.start(), m.end()) for m in _PHONE.finditer(text)]
    for pattern in case_patterns:
        found += [Finding("case reference", m.start(), m.end()) for m in pattern.finditer(text)
                  if m.end() > m.start()]
    found.sort(key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in found:
        if merged and f.start < merged[-1].end:
            continue  # already covered (an NHS number is also digits a phone pattern sees)
        merged.append(f)
    return merged


def mask(text: str, findings: list[Finding], *, keep_last: int = 0) -> str:
    """Replace each finding: by ``[removed: kind]``, or by dots keeping the last characters."""
    out, pos = [], 0
    for f in findings:
        out.append(text[pos:f.start])
        piece = text[f.start:f.end]
        if keep_last:
            hidden = "".join("•" if ch.isalnum() else ch for ch in piece[:-keep_last])
            out.append(hidden + piece[-keep_last:])
        else:
            out.append(f"[removed: {f.kind}]")
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def redactor(case_patterns: Iterable[re.Pattern[str]] = ()) -> Callable[[str], str]:
    """A function that replaces what looks like personal data in a text."""
    patterns = list(case_patterns)
    return lambda text: mask(text, find(text, patterns)) if text else text


def free_text(lp: LoadedPledge) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
    """Every piece of free text with its place and point; contact fields are left out."""

    def entry(loc: tuple[str | int, ...], e: PointEntry, label: str | None
              ) -> Iterator[tuple[tuple[str | int, ...], str, str | None]]:
        for name in ("discussion", "skip"):
            yield (*loc, name), getattr(e, name), label
        for name in LIST_FIELDS:
            for i, text in enumerate(getattr(e, name)):
                yield (*loc, name, i), text, label
        if e.review:
            for i, ev in enumerate(e.review.evidence):
                yield (*loc, "review", "evidence", i, "text"), ev.text, label
            yield (*loc, "review", "notes"), e.review.notes, label

    p = lp.pledge
    yield ("owner", "role"), p.owner.role, None
    for ref in entries(p, lp.framework):
        if ref.is_extra:
            yield (*ref.loc, "finding"), getattr(ref.entry, "finding", ""), ref.label
        yield from entry(ref.loc, ref.entry, ref.label)
    for dom, dims in p.reflection.items():
        for dim, r in (dims or {}).items():
            if r is not None:
                yield ("reflection", dom, dim, "notes"), r.notes, None


def any_found(lp: LoadedPledge, case_patterns: Iterable[re.Pattern[str]] = ()) -> bool:
    """Whether any free text looks like personal data: the cheap question collation asks."""
    patterns = list(case_patterns)
    if not patterns:
        # Without case patterns, only text with a digit or an @ can match.
        return any(_MAYBE.search(text) and find(text) for _, text, _ in free_text(lp) if text)
    return any(find(text, patterns) for _, text, _ in free_text(lp) if text)


def scan(lp: LoadedPledge, case_patterns: Iterable[re.Pattern[str]] = (), *,
         severity: str = "warning") -> list[Problem]:
    """One located problem per finding, showing the text around it masked."""
    patterns = list(case_patterns)
    problems = []
    for loc, text, label in free_text(lp):
        if not text:
            continue
        for f in find(text, patterns):
            line, col = lp.where(*loc)
            around = text[max(0, f.start - 20): f.end + 20]
            shown = mask(around, find(around, patterns), keep_last=2)
            problems.append(Problem(
                f"this looks like a {f.kind}: \"{' '.join(shown.split())}\"", lp.path, line,
                col, point=label, severity=severity, loc=loc,
                hint="pledges are about practice: remove personal details of children and "
                "families"))
    return problems
