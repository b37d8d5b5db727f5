"""Stage 2, about six months on: record evidence of improved practice against each pledge.

Every change goes through the round-trip layer, so the rest of the file stays byte-identical;
each point is saved as soon as it is entered, so an interruption loses nothing already given.
The edits themselves are in ``review_edit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from sclearn.core.errors import ConflictError, InvalidFileError, UsageError
from sclearn.core.pledge import LoadedPledge
from sclearn.core.signoff import review_complete
from sclearn.core.source import SourceText
from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import load_document, save_document
from sclearn.files.write import pledge_lock, refuse_read_only
from sclearn.services.review_edit import (
    Entry,
    EvidenceIn,
    Item,
    Target,
    items,
    parse_target,
    record,
    scaffold,
    set_review_started,
    set_reviewed,
)

__all__ = [
    "Entry",
    "EvidenceIn",
    "Item",
    "Session",
    "Target",
    "items",
    "parse_target",
    "record",
    "scaffold",
    "set_review_started",
    "set_reviewed",
    "walk",
]


def _check_entry(entry: Entry) -> None:
    """Refuse what would leave the file unreadable, before anything is changed."""
    for ev in entry.items:
        if not ev.text.strip():
            raise UsageError("an --evidence is empty", hint="describe the evidence in words")
    texts = (
        [e.text for e in entry.items]
        + [e.link for e in entry.items]
        + [entry.notes, entry.progress or ""]
    )
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(
                f"'{text.encode('utf-8', 'replace').decode()}' is not valid "
                "text (it is not UTF-8), so nothing was written",
                hint="type it again in a UTF-8 terminal",
            ) from None


class Session:
    """A review of one file: load, change, save after each point, reload to stay current.

    Each save holds the lock beside the pledge from reading to renaming, so two reviews of
    the same file at once both land; what another review saved meanwhile is read first.
    """

    _saved: LoadedPledge  # the file as the last save left it, validated before writing

    def __init__(self, path: Path, catalogue: Catalogue, day: dt.date | None = None) -> None:
        self.path = path
        self.catalogue = catalogue
        self.day = day or dt.date.today()  # the supervision date: review started/finished
        self.finished_now = False  # this session finished the review
        self.notes: list[str] = []  # what of the file's own layout the saves could not keep
        refuse_read_only(path)  # before any questions are asked
        # Validate first: its messages are located, and ruamel never sees an invalid file.
        self._load(read_source(path))

    def _load(self, source: SourceText) -> None:
        self.lp = parse_pledge(source, self.catalogue)
        self.doc = load_document(self.path, source)

    def _validate(self, new: SourceText) -> None:
        try:
            self._saved = parse_pledge(new, self.catalogue)
        except InvalidFileError as exc:
            first = exc.problems[0]
            raise UsageError(
                f"{self.path} was not changed: the change would make it "
                f"unreadable ({first.message})",
                hint="check what was typed, then run again",
            ) from None

    def _catch_up(self, replace: bool) -> None:
        """Under the lock: take in what another review saved since this one read the file,
        keeping the review date already set here."""
        source = read_source(self.path)
        if source.digest == self.doc.source.digest:
            return
        if replace:
            raise ConflictError(
                f"{self.path}: changed on disk after sclearn read it, so it was not overwritten",
                hint="nothing was lost: open the file to see the other change, then run the "
                "command again",
            )
        dates = self.doc.data.get("dates")
        day = dates.get("reviewed") if isinstance(dates, CommentedMap) else None
        pending = isinstance(day, dt.date) and day != self.lp.pledge.dates.reviewed
        self._load(source)
        if pending:
            assert isinstance(day, dt.date)
            set_reviewed(self.doc, day)

    def save(self) -> bool:
        """Write what was recorded, validated first; False when nothing changed."""
        with pledge_lock(self.path):
            changed = save_document(self.doc, self._validate)
        self.notes += self.doc.notes
        self.doc.notes.clear()
        if changed:
            self.lp = self._saved
        return changed

    def record(self, target: Target, entry: Entry, *, replace: bool = False) -> list[str]:
        """Record one point's review and save it at once; what changed, in words.

        The first answer sets ``dates.review_started``; the answer that leaves every point
        with pledges reviewed (progress and evidence) sets ``dates.reviewed``."""
        return self.record_many([(target, entry)], replace=replace)

    def record_many(
        self, answers: list[tuple[Target, Entry]], *, replace: bool = False
    ) -> list[str]:
        """Record several points in one save, all or nothing; what changed, in words."""
        for _, entry in answers:
            _check_entry(entry)
        try:
            with pledge_lock(self.path):
                self._catch_up(replace)
                changes: list[str] = []
                for target, entry in answers:
                    done = record(self.doc, self.lp.framework, target, entry, replace=replace)
                    # Several points at once: say which point each change is for.
                    name = target[1] if isinstance(target[1], str) else f"extra-{target[1] + 1}"
                    changes += [f"{name}: {c}" for c in done] if len(answers) > 1 else done
                if changes:
                    set_review_started(self.doc, self.day)
                self.save()
                if changes and self.lp.pledge.dates.reviewed is None and review_complete(self.lp):
                    self._finish()
                    changes.append(f"review finished on {self.day:%d %B %Y}")
        except ConflictError as exc:
            # Tell the reviewer exactly what did not reach the file, so nothing is lost.
            given = [x for _, entry in answers for x in entry.described()]
            exc.hint = (
                ("not saved, please enter it again after reloading: " + "; ".join(given))
                if given
                else exc.hint
            )
            raise
        return changes

    def _finish(self) -> None:
        set_review_started(self.doc, self.day)
        set_reviewed(self.doc, self.day)
        self.save()
        self.finished_now = True

    def finish(self) -> bool:
        """Mark the review finished on the session's day (the reviewer says it is done);
        False when it already was, on that day."""
        with pledge_lock(self.path):
            self._catch_up(False)
            if self.lp.pledge.dates.reviewed == self.day:
                return False
            self._finish()
        return True


Ask = Callable[[str], str]
SOURCE_QUESTION = "Source of this evidence: "  # until it is answered, the evidence is not saved


def walk(
    session: Session,
    items_to_do: Iterable[Item],
    ask: Ask,
    show: Callable[[Item], None],
    day: dt.date,
) -> int:
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
        session.day = day
        changed += 1
        while True:
            text = ask("Evidence of improved practice (leave blank when done)").strip()
            if not text:
                break
            source = _choose(
                ask,
                SOURCE_QUESTION + ", ".join(f"{c} ({m})" for c, m in fw.evidence_sources.items()),
                codes,
                upper=True,
            )
            session.record(item.target, Entry(evidence=[(text, source)]))
        _judge_signs(session, item, ask)
        picked = _choose(
            ask,
            "Progress: (p)ositive change, (n)o change, (d)eterioration, blank to leave as it is",
            list(progress_codes),
        )
        if progress_codes[picked]:
            # The reviewer has just been shown the current value, so a new answer replaces it.
            session.record(item.target, Entry(progress=progress_codes[picked]), replace=True)
        notes = ask("Notes (optional)").strip()
        if notes:
            session.record(item.target, Entry(notes=notes))
    return changed


VERDICT_CODES = {"m": "met", "p": "partly", "n": "not-yet", "t": "too-early"}


def _judge_signs(session: Session, item: Item, ask: Ask) -> None:
    """Each anticipated sign of success, judged in turn; saved once all are judged."""
    signs = item.entry.signs_of_success
    if not signs:
        return
    verdicts: list[str] = []
    for n, sign in enumerate(signs, start=1):
        picked = _choose(
            ask,
            f'Sign of success {n} of {len(signs)}: "{sign}" - (m)et, '
            "(p)artly, (n)ot yet, (t)oo early to tell, blank to leave as it is",
            [*VERDICT_CODES, ""],
        )
        if not picked:
            return  # left as it is: a partial list would not say which sign is which
        verdicts.append(VERDICT_CODES[picked])
    session.record(item.target, Entry(signs=verdicts), replace=True)


def _choose(ask: Ask, question: str, allowed: Iterable[str], upper: bool = False) -> str:
    options = list(allowed)
    while True:
        answer = ask(question).strip()
        answer = answer.upper() if upper else answer.lower()[:1] if answer else ""
        if answer in options:
            return answer
