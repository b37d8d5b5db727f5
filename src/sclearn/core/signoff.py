"""Review states and sign-offs: when a review is finished, and whether what was signed changed.

The digest of a stage is ``sha256:`` + the hex SHA-256 of the stage's content in a canonical
form: the UTF-8 bytes of a JSON document with sorted keys, no spaces and non-ASCII characters
kept as they are, made from the *validated* model, never from the file's text. So line endings,
a BOM, comments, quoting, indentation, key order and ``x-`` keys do not change it; any change
to a value that was signed does. The document is::

    {"owner": {"kind": ..., "name": ...},
     "points": {"<point id>": {<stage 1 fields>} or null, ...},
     "extra_points": [{"finding": ..., <stage 1 fields>}, ...],
     "stage": 1}

where the stage 1 fields are ``discussion``, ``good_practice``, ``pledges``, ``helps``,
``hinders``, ``signs_of_success`` and ``skip``. Stage 2 adds ``"reviewed"`` (the date, ISO) and
a ``"review"`` key to each point and extra point (evidence with text, source, date and link;
progress; signs; notes; ``null`` when there is no review), and ``"stage": 2``.

Beside the digest, sclearn writes ``x-fields``: short fingerprints (two hex digits per field of
each point, one pair for the owner and the review date), only so that ``check`` can say *what*
changed (which point, which field). Detection never relies on them: the digest decides; the
fingerprints only name (and may, rarely, name nothing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from sclearn.core.pledge import LoadedPledge, Pledge, PointEntry, Review, SignOff
from sclearn.core.walk import entries

ReviewState = Literal["not-started", "in-progress", "finished"]
STAGE1_FIELDS = (
    "discussion",
    "good_practice",
    "pledges",
    "helps",
    "hinders",
    "signs_of_success",
    "skip",
)
STAGES = (1, 2)


def review_state(p: Pledge) -> ReviewState:
    """Finished once ``dates.reviewed`` is set; in progress once any review answer is there."""
    if p.dates.reviewed is not None:
        return "finished"
    if p.dates.review_started is not None:
        return "in-progress"
    for e in [*p.points.values(), *p.extra_points]:
        r = e.review if e else None
        if r and (r.evidence or r.progress or r.notes.strip() or r.signs):
            return "in-progress"
    return "not-started"


def review_complete(lp: LoadedPledge) -> bool:
    """Whether every point with pledges has a review with progress and known-source evidence:
    the contract's "finished" by content."""
    codes = lp.framework.evidence_sources
    for ref in entries(lp.pledge, lp.framework):
        if not ref.entry.has_pledges:
            continue
        r = ref.entry.review
        if r is None or r.progress is None or not any(ev.source in codes for ev in r.evidence):
            return False
    return True


def _stage1(e: PointEntry) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(e, name) for name in STAGE1_FIELDS}
    if hasattr(e, "finding"):
        out["finding"] = e.finding
    return out


def _review(r: Review | None) -> Any:
    return None if r is None else r.model_dump(mode="json")


def content(p: Pledge, stage: int) -> dict[str, Any]:
    """The signed content of a stage, as plain data (see the module docstring)."""

    def entry(e: PointEntry | None) -> Any:
        if e is None:
            return None
        out = _stage1(e)
        if stage == 2:
            out["review"] = _review(e.review)
        return out

    doc: dict[str, Any] = {
        "stage": stage,
        "owner": {"kind": p.owner.kind, "name": p.owner.name},
        "points": {pid: entry(e) for pid, e in p.points.items()},
        "extra_points": [entry(e) for e in p.extra_points],
    }
    if stage == 2:
        doc["reviewed"] = p.dates.reviewed.isoformat() if p.dates.reviewed else None
    return doc


def canonical(data: Any) -> bytes:
    """The canonical bytes of plain data: sorted-key, compact JSON in UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def digest(p: Pledge, stage: int) -> str:
    """``sha256:`` + the hex SHA-256 of the stage's canonical content."""
    return "sha256:" + hashlib.sha256(canonical(content(p, stage))).hexdigest()


REVIEW_FIELDS = ("evidence", "progress", "signs", "notes")


def _short(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()[:2]


def _fields(key: str, stage: int) -> tuple[str, ...]:
    """The fields a part's fingerprint covers, in order."""
    return (
        STAGE1_FIELDS
        + (("finding",) if key.startswith("extra-") else ())
        + (REVIEW_FIELDS if stage == 2 else ())
    )


def fingerprints(p: Pledge, stage: int) -> dict[str, str]:
    """Short fingerprints of the signed content, to name what changed: the owner's, the review
    date's, and for each point two hex digits per field (see ``_fields``)."""
    doc = content(p, stage)
    out = {"owner": _short(doc["owner"])}
    if stage == 2:
        out["reviewed"] = _short(doc["reviewed"])
    parts = [(pid, e) for pid, e in doc["points"].items()]
    parts += [(f"extra-{i + 1}", e) for i, e in enumerate(doc["extra_points"])]
    for key, e in parts:
        if e is None:
            out[key] = ""
            continue
        review = e.get("review") or {}
        out[key] = "".join(
            _short(review.get(name) if name in REVIEW_FIELDS else e[name])
            for name in _fields(key, stage)
        )
    return out


def changed_parts(then: dict[str, str], now: dict[str, str], stage: int) -> list[str]:
    """What differs between two sets of fingerprints: "owner", "reviewed", "<point>" (added
    or removed) or "<point>.<field>"."""
    out = []
    for key in [*then, *(k for k in now if k not in then)]:
        a, b = then.get(key), now.get(key)
        if a == b:
            continue
        names = _fields(key, stage)
        if (
            key in ("owner", "reviewed")
            or not a
            or not b
            or len(a) != len(b)
            or len(a) != 2 * len(names)
        ):
            out.append(key)
            continue
        out += [
            f"{key}.{name}"
            for i, name in enumerate(names)
            if a[2 * i : 2 * i + 2] != b[2 * i : 2 * i + 2]
        ]
    return out


@dataclass(frozen=True)
class SignOffCheck:
    """One stage's sign-off, and whether what was signed has changed since."""

    stage: int
    signoff: SignOff
    changed: bool
    what: list[str]  # parts that changed, e.g. "assessment.pledges" (may be empty)

    @property
    def said(self) -> str:
        """'signed off on 3 December 2026 by Chris Lee'."""
        s = self.signoff
        return f"signed off on {s.on.day} {s.on:%B %Y} by {s.by}"


def signoffs(p: Pledge) -> dict[int, SignOff]:
    """The sign-offs the file records, by stage."""
    found: dict[int, SignOff] = {}
    if p.signoff is not None:
        for stage in STAGES:
            s = getattr(p.signoff, f"stage{stage}")
            if s is not None:
                found[stage] = s
    return found


def check_signoffs(p: Pledge) -> list[SignOffCheck]:
    """Each recorded sign-off, compared with the file as it is now."""
    out = []
    for stage, s in signoffs(p).items():
        changed = digest(p, stage) != s.digest
        what: list[str] = []
        if changed and s.fields:
            what = changed_parts(s.fields, fingerprints(p, stage), stage)
        out.append(SignOffCheck(stage, s, changed, what))
    return out


def describe_part(part: str, label: Any) -> str:
    """A changed part in words: 'point 4 (Assessment): pledges'. ``label`` names a point."""
    if part == "owner":
        return "the owner's kind or name"
    if part == "reviewed":
        return "the review date (dates.reviewed)"
    point, _, name = part.partition(".")
    where = label(point)
    if not name:
        return f"{where} (added or removed)"
    return f"{where}: {name.replace('_', ' ')}"
