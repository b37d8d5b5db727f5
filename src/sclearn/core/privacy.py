"""A personal-data check for free text: pledges are about practice, not about children.

Point 9 of the framework asks for care with confidentiality and data protection. This finds
what looks like a child's or family's personal data in the text people write (NHS numbers,
postcodes, dates of birth, phone numbers and e-mail addresses outside the contact fields, and
case references in a board's own formats), so that `check` can warn and the reports can mask
it. It errs towards finding: a warning costs a glance, a leak costs far more. Each pattern is
then narrowed by what is known of the real thing (the NHS number's check digit, the numbers a
person's phone can have), so that meeting dates, times, guidance sections and reference
numbers are left alone.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sclearn.core.errors import Problem
from sclearn.core.privacy_places import Places, extension_text
from sclearn.core.vocabulary import LIST_FIELDS
from sclearn.core.walk import entries

if TYPE_CHECKING:  # for types only: finding needs no pledge model (nor does a warm collation)
    from sclearn.core.pledge import LoadedPledge, PointEntry

# NHS numbers are issued from 3 up (never with a leading 0, which is how phone numbers start).
_NHS = re.compile(r"(?<![\d-])([1-9]\d{2})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)"
    r" ?(\d[ABD-HJLNP-UW-Z]{2}))\b",
    re.IGNORECASE,
)
# "Y6 1st", "S47 2nd": a school year or a section number before an ordinal, not a postcode.
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:['’]\d{2}|\d{4}|\d{2})(?!\d)"
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})(?!\d)"  # 12/03/2015, 1.3.15
    rf"|\d{{4}}[/.\-]\d{{1,2}}[/.\-]\d{{1,2}}(?!\d)"  # 2015/03/12, 2015-03-12
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}"  # 3rd of March 2015, 12th Mar '15
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY},?\s+{_YEAR})"
)  # March 12, 2015
_DOB_WORD = r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b)"
_DOB_CUE = rf"(?:{_DOB_WORD}|\bborn\b|\bbirthday\b)"
# A date a few words after the cue, in the same sentence ("DOB 12/03/2015", "born on the 3rd of
# March 2015"), or just before it ("12/03/2015 (DOB)"; not "Audit on 12/03/2026: DOB ...").
_DOB = (
    re.compile(rf"{_DOB_CUE}[^\n\d.;!?]{{0,20}}({_DATE})", re.IGNORECASE),
    re.compile(rf"({_DATE})[\s(\[,-]{{0,4}}{_DOB_WORD}", re.IGNORECASE),
)
_DOB_HINT = re.compile(r"d\.?\s?o\.?\s?b|born|birth", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+/.,:-])(?:\+44\s?(?:\(0\)\s?)?\d{2,4}|\(0\d{2,4}\)|0\d{2,4})"
    r"[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w/]|[.,:-]\d)"
)
# A number a person can be rung on: geographic (01, 02), internet (05) and mobile (07). 03, 08
# and 09 numbers are services' lines (a council's 0300, a helpline's 0808), not a family's.
_PERSONAL_PHONE = frozenset("1257")
# Words that make a phone-shaped number something else when they stand just before it.
_REFERENCE_CUE = re.compile(
    r"\b(?:ref(?:erence)?s?|crime|incident|log|occurrence|job|case|service|account|invoice|"
    r"order|urn|crn|upn|serial|badge|collar|warrant|id|file|record|ticket|claim)\b\W*"
    r"(?:no\b|nos\b|number|num\b|#)?\W*$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MAYBE = re.compile(r"[\d@]")
# The article each kind takes: "an NHS number", "an e-mail address".
_ARTICLE = {"NHS number": "an", "e-mail address": "an"}
_MESSAGE = "this looks like "


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
            raise UsageError(
                f"case reference pattern {p!r} is not a valid pattern: {exc}",
                hint="write it as a regular expression, e.g. CP-\\d{6}",
            ) from None
    return out


def _personal_phone(text: str, m: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", m.group())
    national = digits[2:].removeprefix("0") if m.group().startswith("+") else digits[1:]
    if len(national) not in (9, 10) or national[0] not in _PERSONAL_PHONE:
        return False
    # "Ref 01773 123456", "crime no. 0712 345 6789": a reference, not a line to ring.
    return not _REFERENCE_CUE.search(text, max(0, m.start() - 32), m.start())


def _postcode(m: re.Match[str]) -> bool:
    return not _ORDINAL.fullmatch(m.group(1) or "")


def find(text: str, case_patterns: Iterable[re.Pattern[str]] = ()) -> list[Finding]:
    """Every stretch of ``text`` that looks like personal data, in order, not overlapping."""
    found: list[Finding] = []
    if _MAYBE.search(text):  # every built-in pattern needs a digit or an @
        found += [
            Finding("NHS number", m.start(), m.end())
            for m in _NHS.finditer(text)
            if nhs_number_valid("".join(m.groups()))
        ]
        if _DOB_HINT.search(text):  # the date patterns are the costly ones
            found += [
                Finding("date of birth", m.start(1), m.end(1))
                for pattern in _DOB
                for m in pattern.finditer(text)
            ]
        if "@" in text:
            found += [Finding("e-mail address", m.start(), m.end()) for m in _EMAIL.finditer(text)]
        found += [
            Finding("postcode", m.start(), m.end())
            for m in _POSTCODE.finditer(text)
            if _postcode(m)
        ]
        found += [
            Finding("phone number", m.start(), m.end())
            for m in _PHONE.finditer(text)
            if _personal_phone(text, m)
        ]
    for pattern in case_patterns:
        found += [
            Finding("case reference", m.start(), m.end())
            for m in pattern.finditer(text)
            if m.end() > m.start()
        ]
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
        out.append(text[pos : f.start])
        piece = text[f.start : f.end]
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


TextPlace = tuple[tuple[str | int, ...], str, str | None]


def free_text(lp: LoadedPledge) -> Iterator[TextPlace]:
    """Every piece of free text the model holds, with its place and point.

    The contact fields (the owner's work base, phone and e-mail, the line manager's e-mail) are
    left out: they are meant to hold contact details. ``x-`` keys are not in the model; see
    ``extension_text``."""

    def entry(loc: tuple[str | int, ...], e: PointEntry, label: str | None) -> Iterator[TextPlace]:
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
    for name in ("name", "role", "agency", "team", "district"):
        yield ("owner", name), getattr(p.owner, name), None
    for i, member in enumerate(p.owner.members):
        yield ("owner", "members", i), member, None
    yield ("line_manager", "name"), p.line_manager.name, None
    for ref in entries(p, lp.framework):
        if ref.is_extra:
            yield (*ref.loc, "finding"), getattr(ref.entry, "finding", ""), ref.label
        yield from entry(ref.loc, ref.entry, ref.label)
    for dom, dims in p.reflection.items():
        for dim, r in (dims or {}).items():
            if r is not None:
                yield ("reflection", dom, dim, "notes"), r.notes, None


def _with_digits(texts: list[str]) -> list[str]:
    """Those of ``texts`` (ASCII) that hold a digit or an @: the only ones a built-in pattern
    can match. Found by ``str.find`` of each character in all the texts joined, which runs at
    memory speed, where a regular expression tries each character in turn."""
    joined = "\n".join(texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
    found: set[int] = set()
    for char in "0123456789@":
        pos = joined.find(char)
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            found.add(i)
            pos = joined.find(char, starts[i + 1])
    return [texts[i] for i in sorted(found)]


def any_in(texts: list[str], case_patterns: Iterable[re.Pattern[str]] = ()) -> bool:
    """Whether ``find`` finds anything in any of ``texts``, looking only where it can."""
    patterns = list(case_patterns)
    if patterns:  # a board's own pattern may match any text
        return any(find(t, patterns) for t in texts)
    ascii_texts = [t for t in texts if t.isascii()]  # where a digit is only 0 to 9
    wide = (t for t in texts if not t.isascii() and _MAYBE.search(t))
    return any(find(t) for t in itertools.chain(_with_digits(ascii_texts), wide))


def any_found(lp: LoadedPledge, case_patterns: Iterable[re.Pattern[str]] = ()) -> bool:
    """Whether any free text looks like personal data: the cheap question collation asks."""
    texts = [t for _, t, _ in free_text(lp) if t]
    texts += [t for _, _, _, t in extension_text(lp) if t]
    return any_in(texts, case_patterns)


def is_personal_data(problem: Problem) -> bool:
    """Whether a problem is a finding of this check (each is shown on its own line)."""
    return problem.message.startswith(_MESSAGE)


def _problem(
    lp: LoadedPledge,
    loc: tuple[str | int, ...],
    text: str,
    f: Finding,
    patterns: list[re.Pattern[str]],
    line: int | None,
    col: int | None,
    label: str | None,
    severity: str,
) -> Problem:
    around = text[max(0, f.start - 20) : f.end + 20]
    shown = mask(around, find(around, patterns), keep_last=2)
    what = f"{_ARTICLE.get(f.kind, 'a')} {f.kind}"
    return Problem(
        f'{_MESSAGE}{what}: "{" ".join(shown.split())}"',
        lp.path,
        line,
        col,
        point=label,
        severity=severity,
        loc=loc,
        hint="pledges are about practice: remove personal details of children and families",
    )


def _label(lp: LoadedPledge, loc: tuple[str | int, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "extra_points" and isinstance(loc[1], int):
        return f"extra point {loc[1] + 1}"
    if (
        len(loc) >= 2
        and loc[0] == "points"
        and loc[1] in lp.pledge.points
        and any(pt.id == loc[1] for pt in lp.framework.points)
    ):
        return lp.framework.point_label(str(loc[1]))
    return None


def scan(
    lp: LoadedPledge, case_patterns: Iterable[re.Pattern[str]] = (), *, severity: str = "warning"
) -> list[Problem]:
    """One problem per finding, at the finding's own line and column, shown masked."""
    patterns = list(case_patterns)
    if not any_found(lp, patterns):  # most files, told so at a fraction of the cost
        return []
    problems = []
    places = Places(lp)
    for loc, text, label in free_text(lp):
        if not text:
            continue
        after: tuple[int, int] | None = None
        for f in find(text, patterns):
            line, col = places.find(loc, text[f.start : f.end], after)
            if line is not None and col is not None:
                after = line, col
            problems.append(_problem(lp, loc, text, f, patterns, line, col, label, severity))
    for loc, line, col, text in extension_text(lp):
        for f in find(text, patterns):
            problems.append(
                _problem(lp, loc, text, f, patterns, line, col + f.start, _label(lp, loc), severity)
            )
    return problems


# --- names in free text -------------------------------------------------------------------------
