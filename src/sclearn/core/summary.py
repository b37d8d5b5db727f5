"""Saying repeated problems once: "14 points still need a pledge (points 1-14)"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sclearn.core.errors import Problem

# What each gap asks for, as a summary line says it.
_WANTS = {
    "no pledge yet": "a pledge",
    "no sign of success yet": "a sign of success",
    "the finding is empty": "the finding it is about",
    "no six-month review recorded": "a six-month review",
    "no progress recorded": "the progress made",
    "no evidence recorded": "evidence",
    "no example of current good practice": "an example of current good practice",
    "no factor that will help": "a factor that will help",
    "no factor that may hinder": "a factor that may hinder",
    "no verdict on the anticipated signs of success": "a verdict on the signs of success",
}
# Hints that name one point, and what a summary line says instead ({file}: the file's name).
_GROUP_HINTS = {
    "no verdict on the anticipated signs of success": "under each point's review, add signs: "
    "with one of met, partly, not-yet or too-early per sign "
    "(`sclearn review {file} --point POINT --signs ...`)",
}
# A stage 1 gap and a review's gap are never said in one line: they are done at different times.
_REVIEW_GAPS = {
    "no six-month review recorded",
    "no progress recorded",
    "no evidence recorded",
    "no verdict on the anticipated signs of success",
}
_Gap = tuple[str, str, bool]  # point, severity, a review's gap


def _gap(p: Problem) -> _Gap:
    return (p.point or "", p.severity, p.message in _REVIEW_GAPS)


# Points that share the same gaps are said once from this many on.
SUMMARY_FROM = 3


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def point_numbers(labels: Sequence[str]) -> str:
    """Points by number, runs shortened: ``points 1-3, 5 and extra point 1``."""
    framework: list[int] = []
    extra: list[int] = []
    for label in labels:
        m = re.match(r"(extra )?point (\d+)", label)
        if m:
            (extra if m.group(1) else framework).append(int(m.group(2)))

    def runs(numbers: list[int]) -> list[str]:
        out: list[str] = []
        for n in sorted(set(numbers)):
            if out and out[-1].split("-")[-1] == str(n - 1):
                out[-1] = f"{out[-1].split('-')[0]}-{n}"
            else:
                out.append(str(n))
        return out

    parts = []
    if framework:
        parts.append(("points " if len(framework) > 1 else "point ") + ", ".join(runs(framework)))
    if extra:
        parts.append(
            ("extra points " if len(extra) > 1 else "extra point ") + ", ".join(runs(extra))
        )
    return " and ".join(parts)


def summarise(problems: Sequence[Problem], at: int = SUMMARY_FROM) -> list[Problem]:
    """Problems as a person reads them: gaps that many points share, said once.

    "14 points still need a pledge and a sign of success (points 1-14)" stands in for 28
    rows, at the first of their lines; everything else is kept as it is, in its order."""
    gaps: dict[_Gap, list[Problem]] = {}
    for p in problems:
        if p.point and p.message in _WANTS:
            gaps.setdefault(_gap(p), []).append(p)
    # Each point's gaps as one key: points with the same key are said together.
    keys = {
        gap: (gap[1], tuple(m for m in _WANTS if any(q.message == m for q in found)))
        for gap, found in gaps.items()
    }
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for gap, wanted in keys.items():
        groups.setdefault(wanted, []).append(gap[0])
    merged = {gap: wanted for gap, wanted in keys.items() if len(groups[wanted]) >= at}
    out: list[Problem] = []
    said: set[tuple[str, tuple[str, ...]]] = set()
    for p in problems:
        key = merged.get(_gap(p)) if p.point and p.message in _WANTS else None
        if key is None:
            out.append(p)
            continue
        if key in said:
            continue
        said.add(key)
        points = groups[key]
        wants = _and([_WANTS[m] for m in key[1]])
        name = p.path.name if p.path else "FILE"
        hints = [
            h
            for h in dict.fromkeys(
                _GROUP_HINTS[q.message].format(file=name) if q.message in _GROUP_HINTS else q.hint
                for q in gaps[_gap(p)]
            )
            if h
        ]
        if p.severity == "error":
            message = f"{len(points)} points still need {wants} ({point_numbers(points)})"
        else:
            message = f"{len(points)} points could still have {wants} ({point_numbers(points)})"
            hints = hints or ["not required, but worth writing before the six-month review"]
        out.append(
            Problem(
                message,
                p.path,
                p.line,
                p.column,
                hint="; ".join(hints) or None,
                severity=p.severity,
            )
        )
    return out
