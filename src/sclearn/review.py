"""Stage 2, about six months on: record evidence of improved practice against each pledge.

Every change goes through the round-trip layer, so the rest of the file stays byte-identical;
each point is saved as soon as it is entered, so an interruption loses nothing already given.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sclearn.errors import ConflictError, UsageError
from sclearn.framework import Catalogue, Framework
from sclearn.pledge import PROGRESS, LoadedPledge, PointEntry, parse_pledge
from sclearn.yamlio import (
    Document,
    append_key,
    extend_seq,
    load_document,
    read_source,
    save_document,
)

Target = tuple[str, str | int]  # ("points", "assessment") or ("extra_points", 0)


@dataclass
class Item:
    """One point that carries pledges, as the review walks through it."""

    target: Target
    label: str
    entry: PointEntry

    @property
    def reviewed(self) -> bool:
        r = self.entry.review
        return bool(r and r.progress and r.evidence)


@dataclass
class Entry:
    """What a reviewer records for one point."""

    evidence: list[tuple[str, str]] = field(default_factory=list)
    progress: str | None = None
    notes: str = ""


def parse_target(lp: LoadedPledge, key: str) -> Target:
    """A point by number or id, or an extra point as ``extra-1``."""
    if key.startswith("extra-") and key[6:].isdigit():
        index = int(key[6:]) - 1
        if not 0 <= index < len(lp.pledge.extra_points):
            raise UsageError(f"there is no extra point {index + 1} in {lp.path}")
        return ("extra_points", index)
    return ("points", lp.framework.point(key).id)


def items(lp: LoadedPledge) -> list[Item]:
    fw = lp.framework
    out = [Item(("points", pt.id), fw.point_label(pt.id), e) for pt in fw.points
           if (e := lp.pledge.points.get(pt.id)) is not None and e.has_pledges]
    out += [Item(("extra_points", i), f"extra point {i + 1} ({e.finding or 'no finding'})", e)
            for i, e in enumerate(lp.pledge.extra_points) if e.has_pledges]
    return out


def _node(doc: Document, target: Target) -> CommentedMap:
    node = doc.data[target[0]][target[1]]
    if not isinstance(node, CommentedMap):
        raise UsageError(f"{target[0]} entry {target[1]} is empty; fill it in first")
    return node


def _review_indent(doc: Document, target: Target) -> int:
    """The column of a review block's keys: under a point, under "points:" or "extra_points:",
    indented the way this file indents (2 spaces in sclearn's own files, giving 6)."""
    step, item = doc.yaml.map_indent or 2, doc.yaml.sequence_indent or 4
    return (2 * step if target[0] == "points" else item) + step


def _review_map(node: CommentedMap, fw: Framework, indent: int = 6) -> CommentedMap:
    review = node.get("review")
    if isinstance(review, CommentedMap):
        return review
    review = CommentedMap()
    review["evidence"] = CommentedSeq()
    review["progress"] = None
    review["notes"] = DoubleQuotedScalarString("")
    codes = ", ".join(f"{c} {m}" for c, m in fw.evidence_sources.items())
    example = next(iter(fw.evidence_sources))
    review.yaml_set_comment_before_after_key("evidence", before="\n".join(textwrap.wrap(
        "Review about six months on: evidence of improved practice, each with its source "
        f"({codes}). One per line, like:", 78 - indent - 2))
        + f"\n  - {{text: \"...\", source: {example}}}", indent=indent)
    review.yaml_set_comment_before_after_key(
        "progress", before=", ".join(PROGRESS[:-1]) + " or " + PROGRESS[-1],
        indent=indent)
    if "review" in node:
        node["review"] = review
    else:
        append_key(node, "review", review)
    return review


def record(doc: Document, fw: Framework, target: Target, entry: Entry, *,
           replace: bool = False) -> list[str]:
    """Add one point's review to the document; what changed, in words.

    Evidence already there is never duplicated; progress and notes already there are only
    replaced when ``replace`` is true (otherwise a different progress is refused and new
    notes are added below the old ones).
    """
    for _, source in entry.evidence:
        if source not in fw.evidence_sources:
            raise UsageError(f"'{source}' is not an evidence source",
                             hint="use one of " + ", ".join(fw.evidence_sources))
    if entry.progress is not None and entry.progress not in PROGRESS:
        raise UsageError(f"'{entry.progress}' is not a progress value",
                         hint="use one of " + ", ".join(PROGRESS))
    node = _node(doc, target)
    review = _review_map(node, fw, _review_indent(doc, target))
    changes = []
    evidence = review.get("evidence")
    if not isinstance(evidence, CommentedSeq):
        evidence = CommentedSeq()
        review["evidence"] = evidence
    have = {(str(e.get("text", "")), str(e.get("source", ""))) for e in evidence
            if isinstance(e, dict)}
    for text, source in entry.evidence:
        if (text, source) in have:
            continue
        item = CommentedMap([("text", text), ("source", source)])
        item.fa.set_flow_style()
        extend_seq(evidence, [item])
        have.add((text, source))
        changes.append(f"evidence added ({source})")
    if entry.progress:
        current = review.get("progress")
        if current and current != entry.progress and not replace:
            raise ConflictError(
                f"progress is already recorded as '{current}'",
                hint="run again with --replace to change it")
        if current != entry.progress:
            review["progress"] = entry.progress
            changes.append(f"progress: {entry.progress}")
    if entry.notes.strip():
        current_notes = str(review.get("notes") or "")
        if replace or not current_notes.strip():
            review["notes"] = entry.notes
        elif entry.notes not in current_notes:
            review["notes"] = f"{current_notes}\n{entry.notes}"
        changes.append("notes")
    return changes


def set_reviewed(doc: Document, day: dt.date) -> bool:
    dates = doc.data.get("dates")
    if not isinstance(dates, CommentedMap):
        raise UsageError("the file has no dates section")
    if dates.get("reviewed") == day:
        return False
    dates["reviewed"] = day
    return True


def scaffold(doc: Document, lp: LoadedPledge) -> int:
    """Add an empty, commented review block to every point with pledges that has none."""
    added = 0
    for item in items(lp):
        node = _node(doc, item.target)
        if not isinstance(node.get("review"), CommentedMap):
            _review_map(node, lp.framework, _review_indent(doc, item.target))
            added += 1
    return added


class Session:
    """A review of one file: load, change, save after each point, reload to stay current."""

    def __init__(self, path: Path, catalogue: Catalogue) -> None:
        self.path = path
        self.catalogue = catalogue
        # Validate first: its messages are located, and ruamel never sees an invalid file.
        source = read_source(path)
        self.lp = parse_pledge(source, catalogue)
        self.doc = load_document(path, source)

    def _validate(self) -> LoadedPledge:
        return parse_pledge(self.doc.source, self.catalogue)

    def save(self) -> bool:
        changed = save_document(self.doc)
        if changed:
            self.lp = self._validate()
        return changed

    def record(self, target: Target, entry: Entry, *, replace: bool = False) -> list[str]:
        changes = record(self.doc, self.lp.framework, target, entry, replace=replace)
        try:
            self.save()
        except ConflictError as exc:
            # Tell the reviewer exactly what did not reach the file, so nothing is lost.
            given = [f"evidence: {t} (source {s})" for t, s in entry.evidence]
            given += [f"progress: {entry.progress}"] if entry.progress else []
            given += [f"notes: {entry.notes}"] if entry.notes else []
            exc.hint = ("not saved, please enter it again after reloading: "
                        + "; ".join(given)) if given else exc.hint
            raise
        return changes


Ask = Callable[[str], str]


def walk(session: Session, items_to_do: Iterable[Item], ask: Ask,
         show: Callable[[Item], None], day: dt.date) -> int:
    """The interactive review, one point at a time. Returns the number of points changed.

    Every answer is written to the file as soon as it is given, so stopping at any moment
    (even Ctrl-C) loses nothing already entered.
    """
    fw = session.lp.framework
    codes = list(fw.evidence_sources)
    progress_codes = {"p": "positive-change", "n": "no-change", "d": "deterioration", "": ""}
    changed = 0
    for item in items_to_do:
        show(item)
        choice = _choose(ask, "Review this point now? (y)es, (s)kip, (q)uit", "ysq")
        if choice == "q":
            break
        if choice == "s":
            continue
        if not changed:
            set_reviewed(session.doc, day)
        changed += 1
        while True:
            text = ask("Evidence of improved practice (leave blank when done)").strip()
            if not text:
                break
            source = _choose(ask, "Source of this evidence: " + ", ".join(
                f"{c} ({m})" for c, m in fw.evidence_sources.items()), codes, upper=True)
            session.record(item.target, Entry(evidence=[(text, source)]))
        picked = _choose(ask, "Progress: (p)ositive change, (n)o change, (d)eterioration, "
                         "blank to leave as it is", list(progress_codes))
        if progress_codes[picked]:
            # The reviewer has just been shown the current value, so a new answer replaces it.
            session.record(item.target, Entry(progress=progress_codes[picked]), replace=True)
        notes = ask("Notes (optional)").strip()
        if notes:
            session.record(item.target, Entry(notes=notes))
    return changed


def _choose(ask: Ask, question: str, allowed: Iterable[str], upper: bool = False) -> str:
    options = list(allowed)
    while True:
        answer = ask(question).strip()
        answer = answer.upper() if upper else answer.lower()[:1] if answer else ""
        if answer in options:
            return answer
