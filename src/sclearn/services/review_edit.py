"""Review edits on a pledge document: one point's evidence, progress, verdicts and notes, and
the review dates. Pure changes to the round-trip document; `review.Session` saves them."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sclearn.core.errors import ConflictError, UsageError
from sclearn.core.framework import Framework
from sclearn.core.pledge import PROGRESS, VERDICTS, LoadedPledge, PointEntry
from sclearn.files.roundtrip import Document, append_key, extend_seq

Target = tuple[str, str | int]  # ("points", "assessment") or ("extra_points", 0)


@dataclass
class Item:
    """One point that carries pledges, as the review walks through it."""

    target: Target
    label: str
    entry: PointEntry

    @property
    def reviewed(self) -> bool:
        """Whether the point already has progress and evidence."""
        r = self.entry.review
        return bool(r and r.progress and r.evidence)


@dataclass(frozen=True)
class EvidenceIn:
    """One piece of evidence as given: text, source code, and optionally a date and a link."""

    text: str
    source: str
    date: dt.date | None = None
    link: str = ""


@dataclass
class Entry:
    """What a reviewer records for one point."""

    evidence: list[tuple[str, str] | EvidenceIn] = field(default_factory=list)
    progress: str | None = None
    notes: str = ""
    signs: list[str] | None = None  # one verdict per sign of success, in order

    @property
    def items(self) -> list[EvidenceIn]:
        """The evidence, each as an ``EvidenceIn``."""
        return [e if isinstance(e, EvidenceIn) else EvidenceIn(*e) for e in self.evidence]

    def described(self) -> list[str]:
        """What was given, in words (to say what did not reach the file)."""
        given = [f"evidence: {e.text} (source {e.source})" for e in self.items]
        given += [f"progress: {self.progress}"] if self.progress else []
        given += [f"signs: {', '.join(self.signs)}"] if self.signs else []
        given += [f"notes: {self.notes}"] if self.notes else []
        return given


def parse_target(lp: LoadedPledge, key: str) -> Target:
    """A point by number or id, or an extra point as ``extra-1``."""
    if key.startswith("extra-") and key[6:].isdigit():
        index = int(key[6:]) - 1
        if not 0 <= index < len(lp.pledge.extra_points):
            raise UsageError(f"there is no extra point {index + 1} in {lp.path}")
        return ("extra_points", index)
    return ("points", lp.framework.point(key).id)


def items(lp: LoadedPledge) -> list[Item]:
    """The points (and extra points) that carry pledges, in the form's order."""
    fw = lp.framework
    out = [
        Item(("points", pt.id), fw.point_label(pt.id), e)
        for pt in fw.points
        if (e := lp.pledge.points.get(pt.id)) is not None and e.has_pledges
    ]
    out += [
        Item(("extra_points", i), f"extra point {i + 1} ({e.finding or 'no finding'})", e)
        for i, e in enumerate(lp.pledge.extra_points)
        if e.has_pledges
    ]
    return out


def _node(doc: Document, target: Target, fw: Framework) -> CommentedMap:
    section, key = target
    try:
        node = doc.data[section][key]
    except (KeyError, IndexError, TypeError):  # the owner left the point out of the file
        what = fw.point_label(key) if isinstance(key, str) else f"extra point {key + 1}"
        raise UsageError(
            f"{what} has no entry in {doc.source.path}, so it has no pledges to review",
            hint="add the point to the file with its pledges first (`sclearn framework show` "
            "lists the points), or review a point that has pledges",
        ) from None
    if not isinstance(node, CommentedMap):
        raise UsageError(f"{target[0]} entry {target[1]} is empty; fill it in first")
    return node


def review_indent(doc: Document, target: Target) -> int:
    """The column of a review block's keys: under a point, under "points:" or "extra_points:",
    indented the way this file indents (2 spaces in sclearn's own files, giving 6)."""
    step, item = doc.yaml.map_indent or 2, doc.yaml.sequence_indent or 4
    return (2 * step if target[0] == "points" else item) + step


def review_map(node: CommentedMap, fw: Framework, indent: int = 6) -> CommentedMap:
    """A point's review block, added (commented, ready to fill in) if it has none yet."""
    review = node.get("review")
    if isinstance(review, CommentedMap):
        return review
    review = CommentedMap()
    review["evidence"] = CommentedSeq()
    review["progress"] = None
    review["notes"] = DoubleQuotedScalarString("")
    codes = ", ".join(f"{c} {m}" for c, m in fw.evidence_sources.items())
    example = next(iter(fw.evidence_sources))
    review.yaml_set_comment_before_after_key(
        "evidence",
        before="\n".join(
            textwrap.wrap(
                "Review about six months on: evidence of improved practice, each with its source "
                f"({codes}). One per line, like:",
                78 - indent - 2,
            )
        )
        + f'\n  - {{text: "...", source: {example}}}',
        indent=indent,
    )
    review.yaml_set_comment_before_after_key(
        "progress", before=", ".join(PROGRESS[:-1]) + " or " + PROGRESS[-1], indent=indent
    )
    if "review" in node:
        node["review"] = review
    else:
        append_key(node, "review", review)
    return review


def record(
    doc: Document, fw: Framework, target: Target, entry: Entry, *, replace: bool = False
) -> list[str]:
    """Add one point's review to the document; what changed, in words.

    Evidence already there is never duplicated; progress and notes already there are only
    replaced when ``replace`` is true (otherwise a different progress is refused and new
    notes are added below the old ones).
    """
    for ev in entry.items:
        if ev.source not in fw.evidence_sources:
            raise UsageError(
                f"'{ev.source}' is not an evidence source",
                hint="use one of " + ", ".join(fw.evidence_sources),
            )
    if entry.progress is not None and entry.progress not in PROGRESS:
        raise UsageError(
            f"'{entry.progress}' is not a progress value", hint="use one of " + ", ".join(PROGRESS)
        )
    node = _node(doc, target, fw)
    if entry.signs is not None:
        _check_signs(node, entry.signs, target, fw)
    review = review_map(node, fw, review_indent(doc, target))
    changes = []
    evidence = review.get("evidence")
    if not isinstance(evidence, CommentedSeq):
        evidence = CommentedSeq()
        review["evidence"] = evidence
    have = {
        (str(e.get("text", "")), str(e.get("source", ""))) for e in evidence if isinstance(e, dict)
    }
    for ev in entry.items:
        if (ev.text, ev.source) in have:
            continue
        item = CommentedMap([("text", ev.text), ("source", ev.source)])
        if ev.date is not None:
            item["date"] = ev.date
        if ev.link:
            item["link"] = ev.link
        item.fa.set_flow_style()
        extend_seq(evidence, [item])
        have.add((ev.text, ev.source))
        changes.append(f"evidence added ({ev.source})")
    if entry.progress:
        current = review.get("progress")
        if current and current != entry.progress and not replace:
            raise ConflictError(
                f"progress is already recorded as '{current}'",
                hint="run again with --replace to change it",
            )
        if current != entry.progress:
            review["progress"] = entry.progress
            changes.append(f"progress: {entry.progress}")
    if entry.signs is not None and entry.signs:
        current_signs = review.get("signs")
        now = [str(x) for x in current_signs] if isinstance(current_signs, list) else []
        if now and now != entry.signs and not replace:
            raise ConflictError(
                f"verdicts on the signs of success are already recorded as {', '.join(now)}",
                hint="run again with --replace to change them",
            )
        if now != entry.signs:
            signs = CommentedSeq(entry.signs)
            signs.fa.set_flow_style()
            if "signs" in review:
                review["signs"] = signs
            elif "notes" in review:
                review.insert(list(review).index("notes"), "signs", signs)
            else:
                append_key(review, "signs", signs)
            changes.append(f"signs: {', '.join(entry.signs)}")
    if entry.notes.strip():
        current_notes = str(review.get("notes") or "")
        if replace or not current_notes.strip():
            review["notes"] = entry.notes
        elif entry.notes not in current_notes:
            review["notes"] = f"{current_notes}\n{entry.notes}"
        changes.append("notes")
    return changes


def _check_signs(node: CommentedMap, signs: list[str], target: Target, fw: Framework) -> None:
    """One known verdict per sign of success, or a usage error naming both lengths."""
    for verdict in signs:
        if verdict not in VERDICTS:
            raise UsageError(
                f"'{verdict}' is not a verdict on a sign of success",
                hint="use one of " + ", ".join(VERDICTS),
            )
    anticipated = node.get("signs_of_success")
    count = len(anticipated) if isinstance(anticipated, list) else 0
    if len(signs) != count:
        what = (
            fw.point_label(target[1])
            if isinstance(target[1], str)
            else f"extra point {target[1] + 1}"
        )
        raise UsageError(
            f"{len(signs)} verdict{'s' if len(signs) != 1 else ''} given for "
            f"{count} sign{'s' if count != 1 else ''} of success of {what}",
            hint="give one verdict per sign of success, in the same order, e.g. --signs met,partly",
        )


def _dates(doc: Document) -> CommentedMap:
    dates = doc.data.get("dates")
    if not isinstance(dates, CommentedMap):
        raise UsageError("the file has no dates section")
    return dates


def set_reviewed(doc: Document, day: dt.date) -> bool:
    """Mark the review finished on ``day``."""
    dates = _dates(doc)
    if dates.get("reviewed") == day:
        return False
    dates["reviewed"] = day
    return True


def set_review_started(doc: Document, day: dt.date) -> bool:
    """Note the day the review started, once."""
    dates = _dates(doc)
    if dates.get("review_started") is not None or dates.get("reviewed") is not None:
        return False
    if "review_started" in dates:
        dates["review_started"] = day
    else:  # at the end: the comments above `reviewed:` stay with it
        append_key(dates, "review_started", day)
    return True


def scaffold(doc: Document, lp: LoadedPledge) -> int:
    """Add an empty, commented review block to every point with pledges that has none."""
    added = 0
    for item in items(lp):
        node = _node(doc, item.target, lp.framework)
        if not isinstance(node.get("review"), CommentedMap):
            review_map(node, lp.framework, review_indent(doc, item.target))
            added += 1
    return added
