"""Writing a pledge that already has content: from a Word form, a web form or a notebook.

The file is made as `sclearn new` makes it (the form's prompts as comments, every point in the
framework's order), then the content is put in through the round-trip editor, so a composed
file reads exactly like one filled in by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from sclearn.core.framework import Framework
from sclearn.core.pledge import LIST_FIELDS, Pledge, PointEntry, Review
from sclearn.files.decode import decode_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import append_key, dump_text, extend_seq, load_document, seq_at
from sclearn.files.write import atomic_write
from sclearn.services.create import NewPledge, render_new, target_path


def _text(value: str) -> Any:
    """Text as ruamel should write it: several plain lines as a block, anything else quoted.

    A ``|`` block cannot hold a line that starts or ends with white space or a control
    character exactly, so such text is double-quoted (with escapes) instead."""
    lines = value.rstrip("\n").split("\n")
    if len(lines) > 1 and all(line == line.strip() and line.isprintable() for line in lines):
        return LiteralScalarString(value)
    return DoubleQuotedScalarString(value)


def _review(review: Review) -> CommentedMap:
    out = CommentedMap()
    evidence = CommentedSeq()
    for ev in review.evidence:
        item = CommentedMap()
        item["text"] = _text(ev.text)
        item["source"] = ev.source
        if ev.date is not None:
            item["date"] = ev.date
        if ev.link:
            item["link"] = _text(ev.link)
        evidence.append(item)
    out["evidence"] = evidence
    out["progress"] = review.progress
    if review.signs:
        out["signs"] = CommentedSeq(review.signs)
    out["notes"] = _text(review.notes)
    return out


def _fill_entry(node: CommentedMap, entry: PointEntry) -> None:
    """Put one point's stage 1 and stage 2 content into its scaffolded mapping."""
    for name in ("discussion", "skip"):
        value = getattr(entry, name)
        if value:
            node[name] = _text(value)
    for name in LIST_FIELDS:
        items = [_text(x) for x in getattr(entry, name)]
        if not items:
            continue
        extend_seq(seq_at(node, name), items)
    if entry.review is not None:
        append_key(node, "review", _review(entry.review))


def new_pledge_for(pledge: Pledge) -> NewPledge:
    """The details `sclearn new` would have been given for this pledge."""
    return NewPledge(
        **pledge.owner.model_dump(),
        line_manager=pledge.line_manager.name,
        line_manager_email=pledge.line_manager.email,
        started=pledge.dates.started,
        reflection=bool(pledge.reflection),
    )


def compose(fw: Framework, pledge: Pledge, path: Path) -> str:
    """The text of a pledge file holding everything ``pledge`` holds (``x-`` keys aside)."""
    text = render_new(fw, new_pledge_for(pledge))
    doc = load_document(path, decode_source(path, text.encode("utf-8")))
    data = doc.data
    dates = data["dates"]
    if pledge.dates.review_due is not None:
        dates["review_due"] = pledge.dates.review_due
    dates["reviewed"] = pledge.dates.reviewed
    if pledge.dates.review_started is not None:
        append_key(dates, "review_started", pledge.dates.review_started)
    for pid, entry in pledge.points.items():
        if entry is not None:
            _fill_entry(data["points"][pid], entry)
    if pledge.extra_points:
        extras = CommentedSeq()
        for extra in pledge.extra_points:
            node = CommentedMap()
            node["finding"] = _text(extra.finding)
            for name in ("discussion", *LIST_FIELDS):
                node[name] = CommentedSeq() if name in LIST_FIELDS else ""
            _fill_entry(node, extra)
            for name in ("discussion", *LIST_FIELDS):
                if not node[name]:
                    del node[name]
            extras.append(node)
        data["extra_points"] = extras
    for domain, dims in pledge.reflection.items():
        for dim, chosen in (dims or {}).items():
            if chosen is None:
                continue
            node = data["reflection"][domain][dim]
            node["balance"] = chosen.balance
            if chosen.notes:
                node["notes"] = _text(chosen.notes)
    if pledge.signoff is not None:  # as recorded: the digest says what was agreed
        signoff = CommentedMap()
        for key in ("stage1", "stage2"):
            done = getattr(pledge.signoff, key)
            if done is not None:
                signoff[key] = CommentedMap(
                    [
                        ("by", _text(done.by)),
                        ("role", _text(done.role)),
                        (DoubleQuotedScalarString("on"), done.on),
                        ("digest", done.digest),
                        ("x-fields", CommentedMap(done.fields)),
                    ]
                )
        append_key(data, "signoff", signoff)
    return dump_text(doc)


def write_pledge(fw: Framework, pledge: Pledge, output: Path | None = None) -> Path:
    """Create a pledge file with content; it is validated first and never overwrites a file."""
    path = target_path(new_pledge_for(pledge), output)
    text = compose(fw, pledge, path)
    raw = text.encode("utf-8")
    parse_pledge(decode_source(path, raw), Catalogue(frameworks=[fw]))
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, raw, expected_digest=None)
    return path
