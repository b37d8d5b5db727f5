"""Stage 1, guided: point by point, the questions of the form, each answer saved at once.

Like the stage 2 review, every answer goes through the round-trip layer the moment it is given
(validated first), so Ctrl-C loses nothing, and running it again carries on at the first point
not yet done. Text is stored exactly as typed: the YAML layer quotes a ``#``, a colon or a
leading dash, so nothing is cut short or turned into a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from sclearn.core.errors import InvalidFileError, UsageError
from sclearn.core.framework import Framework, Point
from sclearn.core.pledge import LoadedPledge, PointEntry
from sclearn.core.source import SourceText
from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import append_key, extend_seq, load_document, save_document, seq_at
from sclearn.files.write import pledge_lock, refuse_read_only
from sclearn.services.form_merge import yaml_text

Target = tuple[str, str | int]  # ("points", "assessment") or ("extra_points", 0)
Ask = Callable[[str], str]


def questions(fw: Framework) -> list[tuple[str, str]]:
    """The form's columns as questions, in the form's order."""
    p = fw.prompts
    return [
        ("good_practice", p.good_practice),
        ("pledges", p.pledges),
        ("helps", p.helps),
        ("hinders", p.hinders),
        ("signs_of_success", p.signs_of_success),
    ]


def done(entry: PointEntry | None) -> bool:
    """A point is done once it has a reason to skip it, or pledges and signs of success."""
    return entry is not None and bool(
        entry.skip.strip() or (entry.has_pledges and any(s.strip() for s in entry.signs_of_success))
    )


class Session:
    """One pledge file being filled in; every change is saved at once."""

    def __init__(self, path: Path, catalogue: Catalogue) -> None:
        self.path = path
        self.catalogue = catalogue
        self.notes: list[str] = []
        refuse_read_only(path)
        self._load(read_source(path))

    def _load(self, source: SourceText) -> None:
        self.lp: LoadedPledge = parse_pledge(source, self.catalogue)
        self.doc = load_document(self.path, source)

    def _validate(self, new: SourceText) -> None:
        try:
            self.lp = parse_pledge(new, self.catalogue)
        except InvalidFileError as exc:
            raise UsageError(
                f"{self.path} was not changed: the answer would make it "
                f"unreadable ({exc.problems[0].message})",
                hint="type the answer again in other words",
            ) from None

    def _node(self, target: Target) -> CommentedMap:
        section, key = target
        data = self.doc.data
        if isinstance(key, int):
            seq = seq_at(data, section)
            if key >= len(seq):
                extend_seq(seq, [CommentedMap()])
            return seq[key]  # type: ignore[no-any-return]
        points = data.get(section)
        if not isinstance(points, CommentedMap):
            points = CommentedMap()
            data[section] = points
        node = points.get(key)
        if not isinstance(node, CommentedMap):
            node = CommentedMap()
            if key in points:
                points[key] = node
            else:
                append_key(points, key, node)
        return node

    def _save(self) -> None:
        with pledge_lock(self.path):
            source = read_source(self.path)
            if source.digest != self.doc.source.digest:
                raise UsageError(
                    f"{self.path} changed on disk while you were answering, so "
                    "the last answer was not saved",
                    hint="everything before it is saved; run the command again",
                )
            save_document(self.doc, self._validate)
        self.notes += self.doc.notes
        self.doc.notes.clear()

    def add(self, target: Target, field: str, text: str) -> None:
        """Add one item to a list of a point (or an extra point), and save."""
        node = self._node(target)
        seq = node.get(field)
        if isinstance(seq, CommentedSeq):
            extend_seq(seq, [yaml_text(text)])
        else:
            new = CommentedSeq([yaml_text(text)])
            if field in node:
                node[field] = new
            else:
                append_key(node, field, new)
        self._save()

    def set_text(self, target: Target, field: str, text: str) -> None:
        """Set a point's text field (a reason to skip, an extra point's finding), and save."""
        node = self._node(target)
        if field in node:
            node[field] = yaml_text(text)
        else:
            append_key(node, field, yaml_text(text))
        self._save()

    def entry(self, target: Target) -> PointEntry | None:
        """What the file holds for a point now."""
        key = target[1]
        if isinstance(key, int):
            extras = self.lp.pledge.extra_points
            return extras[key] if key < len(extras) else None
        return self.lp.pledge.entry(key)


@dataclass
class Ui:
    """How the walk talks to the person: ask a question, show a point."""

    ask: Ask
    show: Callable[[str, Point | None, PointEntry | None], None]


def _lists(session: Session, target: Target, ui: Ui) -> None:
    for field, prompt in questions(session.lp.framework):
        while True:
            answer = ui.ask(f"{prompt} (one at a time; Enter on an empty line moves on)").strip()
            if not answer:
                break
            session.add(target, field, answer)


def start_index(session: Session, point: str | None) -> int:
    """Where the walk starts: ``--point``, or the first point not done."""
    fw = session.lp.framework
    if point is not None:
        wanted = fw.point(point).id
        return next(i for i, p in enumerate(fw.points) if p.id == wanted)
    return next(
        (i for i, p in enumerate(fw.points) if not done(session.lp.pledge.entry(p.id))),
        len(fw.points),
    )


def walk(session: Session, ui: Ui, point: str | None = None) -> int:
    """The guided stage 1: each point from the start, then the extra points. Returns the number
    of points answered."""
    fw = session.lp.framework
    answered = 0
    for pt in fw.points[start_index(session, point) :]:
        target: Target = ("points", pt.id)
        if point is None and done(session.entry(target)):
            continue
        ui.show(fw.point_label(pt.id), pt, session.entry(target))
        choice = _choose(
            ui.ask, "Fill in this point? (y)es, (s)kip it as not relevant, (l)ater, (q)uit", "yslq"
        )
        if choice == "q":
            return answered
        if choice == "l":
            continue
        answered += 1
        if choice == "s":
            reason = ""
            while not reason:
                reason = ui.ask("Why is it not relevant to your practice?").strip()
            session.set_text(target, "skip", reason)
            continue
        _lists(session, target, ui)
    for i, extra in enumerate(session.lp.pledge.extra_points):
        if not done(extra):
            ui.show(f"extra point {i + 1}", None, extra)
            if _choose(ui.ask, "Fill in this extra point? (y)es, (l)ater", "yl") == "y":
                _lists(session, ("extra_points", i), ui)
    while True:
        finding = ui.ask(
            "A finding of your own from your reading of the reviews, as an "
            "extra point (Enter on an empty line to finish)"
        ).strip()
        if not finding:
            return answered
        index = len(session.lp.pledge.extra_points)
        session.set_text(("extra_points", index), "finding", finding)
        answered += 1
        _lists(session, ("extra_points", index), ui)


def _choose(ask: Ask, question: str, allowed: str) -> str:
    while True:
        answer = ask(question).strip().lower()[:1]
        if answer and answer in allowed:
            return answer
