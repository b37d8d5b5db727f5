"""The Appendix 1 form read back: rows matched to points, cells split into items.

It reads forms made by `sclearn export` (also after Word or LibreOffice saved them) and forms
laid out like the seed's own Appendix 1, made and filled in by hand: the header row is found
by its wording, columns by their headings, rows by the point's number and title, in any order.
Nothing typed is dropped silently: what cannot be placed is a problem naming its row and column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sclearn.core import formtext as ft
from sclearn.core.errors import InvalidFileError, Problem
from sclearn.core.framework import Bullet, BulletGroup, Framework, Point
from sclearn.core.pledge import PROGRESS, Evidence, ExtraPoint, PointEntry, Review
from sclearn.imports.docx import Cell, WordDocument, WordTable, read_word

COLUMNS = ("finding", "good_practice", "pledges", "helps", "hinders", "signs_of_success", "review")
LABELS = {
    "finding": "column 1 (findings)",
    "good_practice": "column 2 (good practice)",
    "pledges": "column 3 (pledges)",
    "helps": "column 4 (help / hinder)",
    "hinders": "column 4 (help / hinder)",
    "signs_of_success": "column 5 (signs of success)",
    "review": "column 6 (stage 2 review)",
}
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[).:\-]?\s*(.*)$", re.DOTALL)
_LETTERED = re.compile(r"^\s*([a-z]{1,2})\s*[).]\s*(.*)$", re.DOTALL)
# Bullets typed by hand ("• ", "- "), all of them and on the first line only: stripping must
# give the same text however often it is applied, or a kept item would look changed.
_BULLET = re.compile(r"^(?:[•▪◦‣∙·*\-–][^\S\n]+)+")
_SOURCE = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]{1,40}?)\s*[)\]]\s*\.?$", re.DOTALL)
_SEE_DETAILS = re.compile(r"^see details on p", re.IGNORECASE)


@dataclass
class ReadForm:
    """A form as read: the entries of the rows found, the owner's lines, and the problems."""

    path: Path
    framework: Framework
    name: str = ""
    details: str = ""
    entries: dict[str, PointEntry] = field(default_factory=dict)  # every point row found
    extras: list[ExtraPoint] = field(default_factory=list)  # non-empty extra rows, in order
    problems: list[Problem] = field(default_factory=list)
    exported: dict[str, Any] | None = None  # the pledge as exported, when sclearn made it

    @property
    def ok(self) -> bool:
        """Whether everything typed found its place."""
        return not any(p.severity == "error" for p in self.problems)


def _flat(bullets: list[Bullet]) -> list[str]:
    out = []
    for b in bullets:
        if isinstance(b, BulletGroup):
            out += [b.text, *_flat(b.items)]
        else:
            out.append(b)
    return out


def _starts(cell: str, prompt: str) -> bool:
    a, b = ft.norm(cell), ft.norm(prompt)
    n = min(len(a), len(b), 30)
    return n >= min(8, len(b)) and n > 0 and a[:n] == b[:n]


def _columns(row: list[Cell], fw: Framework) -> dict[tuple[int, int], str] | None:
    """The grid columns each header cell covers -> its field, when ``row`` is the form's
    header row."""
    p = fw.prompts
    found: dict[tuple[int, int], str] = {}
    for cell in row:
        text = " ".join(cell.paragraphs)
        key = (cell.column, cell.column + cell.span)
        if _starts(text, p.finding) or ft.norm(text).startswith("findings"):
            found[key] = "finding"
        elif _starts(text, p.good_practice):
            found[key] = "good_practice"
        elif _starts(text, p.pledges):
            found[key] = "pledges"
        elif p.helps_and_hinders and _starts(text, p.helps_and_hinders):
            found[key] = "helps"  # one column for both, split by its labels
        elif _starts(text, p.helps):
            found[key] = "helps"
        elif _starts(text, p.hinders):
            found[key] = "hinders"
        elif _starts(text, p.signs_of_success):
            found[key] = "signs_of_success"
        elif _starts(text, p.review):
            found[key] = "review"
    if len(set(found.values()) & {"good_practice", "pledges", "signs_of_success"}) < 2:
        return None
    if "finding" not in found.values() and row:
        first = min(row, key=lambda c: c.column)
        found[(first.column, first.column + first.span)] = "finding"
    return found


@dataclass
class _Reader:
    form: ReadForm
    columns: dict[tuple[int, int], str]  # the grid columns a header cell covers: field
    seen: dict[str, int] = field(default_factory=dict)

    @property
    def fw(self) -> Framework:
        return self.form.framework

    def problem(self, row: int, column: str | None, message: str, hint: str | None = None) -> None:
        where = f"row {row}" + (f", {LABELS[column]}" if column else "")
        self.form.problems.append(Problem(f"{where}: {message}", self.form.path, hint=hint))

    def match_point(self, head: str) -> tuple[Point | None, str]:
        """The point a row's first line names, or None and a did-you-mean."""
        m = _NUMBERED.match(head)
        number, title = (int(m.group(1)), m.group(2)) if m else (None, head)
        title = title.strip(" :")
        for pt in self.fw.points:
            if ft.norm(title) == ft.norm(pt.title) or (
                pt.number == number and (not title or _similar(title, pt.title))
            ):
                return pt, ""
        names = {f"{pt.number}) {pt.title.rstrip(' :')}": pt for pt in self.fw.points}
        near = difflib.get_close_matches(
            ft.norm(title), [ft.norm(pt.title) for pt in self.fw.points], n=1, cutoff=0.6
        )
        hint = next(
            (
                f" did you mean {k}?"
                for k, pt in names.items()
                if near and ft.norm(pt.title) == near[0]
            ),
            "",
        )
        return None, hint

    def read(self, table: WordTable, header: int) -> None:
        extras = False
        for index, row in enumerate(table.rows[header + 1 :], start=header + 2):
            cells = self.by_field(index, row)
            if not any(cells.values()):
                continue
            first = cells.get("finding", [])
            others = any(v for k, v in cells.items() if k != "finding")
            head = first[0] if first else ""
            if _starts(head, self.fw.prompts.extra_points or "Other relevant findings") or ft.norm(
                head
            ).startswith("other relevant findings"):
                extras = True
                continue
            if not others and len(first) == 1 and self.is_area(head):
                continue
            point, hint = self.match_point(head) if head else (None, "")
            if point is not None:
                self.point_row(index, point, cells)
            elif extras or _LETTERED.match(head):  # "c) ..." even if the heading row went
                self.extra_row(index, cells)
            elif not head:
                self.problem(
                    index,
                    None,
                    "a row with no point named in its first column",
                    "write the point's number and title in the first column",
                )
            else:
                self.problem(
                    index,
                    "finding",
                    f"'{_short(head)}': no such point;{hint}"
                    if hint
                    else f"'{_short(head)}': no such point",
                    "use a point's number and title, or put your own finding in the "
                    "rows below 'Other relevant findings'",
                )

    def is_area(self, head: str) -> bool:
        m = _NUMBERED.match(head)
        title = m.group(2) if m else head
        return any(_similar(title, a.title) for a in self.fw.areas)

    def by_field(self, index: int, row: list[Cell]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for cell in row:
            name = self.field_of(cell)
            if name is None:
                if cell.paragraphs:
                    self.problem(
                        index,
                        None,
                        f"column {cell.column + 1} is not one of the "
                        f"form's columns, so '{_short(cell.paragraphs[0])}' has no "
                        "place",
                        "move the text into one of the form's columns",
                    )
                continue
            out.setdefault(name, []).extend(cell.paragraphs)
        return out

    def field_of(self, cell: Cell) -> str | None:
        """The form's column a cell lies under: the header cell it overlaps most (a program
        that saved the form may have split the table's grid differently row by row)."""
        best, overlap = None, 0
        for (start, end), name in self.columns.items():
            shared = min(end, cell.column + cell.span) - max(start, cell.column)
            if shared > overlap:
                best, overlap = name, shared
        return best

    def point_row(self, index: int, point: Point, cells: dict[str, list[str]]) -> None:
        if point.id in self.seen:
            self.problem(
                index,
                "finding",
                f"point {point.number} appears again (first on row {self.seen[point.id]})",
                "put everything for a point in one row",
            )
            return
        self.seen[point.id] = index
        known = {ft.norm(x) for x in _flat([*point.key_points, *point.additional_detail])}
        rest = [
            x
            for x in cells.get("finding", [])[1:]
            if ft.norm(x) not in known and not _SEE_DETAILS.match(x)
        ]
        entry = PointEntry()
        self.fill(index, entry, rest, cells)
        self.form.entries[point.id] = entry

    def extra_row(self, index: int, cells: dict[str, list[str]]) -> None:
        first = list(cells.get("finding", []))
        if first:
            m = _LETTERED.match(first[0])
            first[0] = m.group(2).strip() if m else first[0]
        finding = [x for x in first[:1] if x]
        extra = ExtraPoint(finding=finding[0] if finding else "")
        self.fill(index, extra, first[1:], cells)
        if extra.model_dump(exclude_defaults=True):
            self.form.extras.append(extra)

    def fill(
        self, index: int, entry: PointEntry, first: list[str], cells: dict[str, list[str]]
    ) -> None:
        discussion = []
        for text in first:
            if text.startswith(ft.SKIP_LABEL):
                entry.skip = text[len(ft.SKIP_LABEL) :].strip()
            elif text.startswith(ft.DISCUSSION_LABEL):
                discussion.append(text[len(ft.DISCUSSION_LABEL) :].strip())
            elif isinstance(entry, ExtraPoint):
                entry.finding = f"{entry.finding}\n{text}".strip()
            else:
                discussion.append(text)
        entry.discussion = "\n".join(discussion)
        entry.good_practice = _items(cells.get("good_practice", []))
        entry.pledges = _items(cells.get("pledges", []))
        helps, hinders = _helps_hinders(cells.get("helps", []))
        entry.helps = helps
        entry.hinders = [*hinders, *_items(cells.get("hinders", []))]
        entry.signs_of_success = _items(cells.get("signs_of_success", []))
        review = self.review(index, cells.get("review", []))
        if review is not None:
            entry.review = review

    def review(self, index: int, paragraphs: list[str]) -> Review | None:
        if not paragraphs:
            return None
        review = Review()
        notes = []
        sources = self.fw.evidence_sources
        for text in paragraphs:
            if text.startswith(ft.PROGRESS_LABEL):
                value = "-".join(ft.norm(text[len(ft.PROGRESS_LABEL) :]).split())
                if value in PROGRESS:
                    review.progress = value  # type: ignore[assignment]
                else:
                    self.problem(
                        index,
                        "review",
                        f"'{_short(text)}' is not a progress",
                        f"write {ft.PROGRESS_LABEL} " + ", ".join(PROGRESS),
                    )
                continue
            if text.startswith(ft.NOTES_LABEL):
                notes.append(text[len(ft.NOTES_LABEL) :].strip())
                continue
            m = _SOURCE.match(text)
            said = m.group(2).strip() if m else ""
            code = next(
                (
                    c
                    for c, meaning in sources.items()
                    if said.upper() == c or ft.norm(said) == ft.norm(meaning)
                ),
                None,
            )
            codes = ", ".join(f"({c})" for c in sources)
            what = m.group(1).strip() if m else ""
            what = _BULLET.sub("", what) or what  # a typed bullet is not part of the text
            if m and code and what:
                review.evidence.append(Evidence(text=what, source=code))
            elif m and code:
                self.problem(
                    index,
                    "review",
                    f"'{_short(text)}' gives a source but no evidence",
                    "write the evidence before its source",
                )
            elif m and re.fullmatch(r"[A-Za-z]{1,5}", said):
                self.problem(
                    index,
                    "review",
                    f"'{said}' is not an evidence source, in '{_short(text)}'",
                    f"end each piece of evidence with one of {codes}",
                )
            else:
                self.problem(
                    index,
                    "review",
                    f"the evidence '{_short(text)}' has no source",
                    f"end each piece of evidence with one of {codes}",
                )
        review.notes = "\n".join(notes)
        return review


def _similar(a: str, b: str) -> bool:
    x, y = ft.norm(a), ft.norm(b)
    return bool(x) and (
        x == y
        or difflib.SequenceMatcher(None, x, y).ratio() >= 0.85
        or (len(x) >= 12 and y.startswith(x))
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "..."


def _items(paragraphs: list[str]) -> list[str]:
    return [t for t in (_BULLET.sub("", p) for p in paragraphs) if t]


_HELP_WORDS = {"help", "helps", "helping", "will help"}
_HINDER_WORDS = {"hinder", "hinders", "hindering", "may hinder"}


def _helps_hinders(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """One column, two lists: "Will help:" and "May hinder:" (or the like) switch between."""
    out: dict[str, list[str]] = {"help": [], "hinder": []}
    mode = "help"
    for text in _items(paragraphs):
        head, sep, rest = text.partition(":")
        words = set(ft.norm(head).split())
        said = "hinder" if words & _HINDER_WORDS else "help" if words & _HELP_WORDS else None
        if said and sep and not rest.strip() and len(words) <= 6:  # a label on its own line
            mode = said
            continue
        if said and sep and ft.norm(head) in _HELP_WORDS | _HINDER_WORDS:  # "Hinders: x"
            mode, text = said, rest.strip()
        if text:
            out[mode].append(text)
    return out["help"], out["hinder"]


def item_key(text: str) -> str:
    """What an item means on the form: the same key for the file's text and the form's, so
    an item the form did not change is recognised (and the file's own text kept)."""
    return _BULLET.sub("", ft.typed_text(ft.form_text(text))).strip()


def _owner_lines(doc: WordDocument, fw: Framework, form: ReadForm) -> None:
    name_label = (fw.form.name if fw.form else "") or "Name (individual / team):"
    details_label = (fw.form.details if fw.form else "") or "Details"
    for text in doc.paragraphs:
        label, _, value = text.partition(":")
        if _starts(label, name_label) or ft.norm(label).startswith("name"):
            form.name = value.strip()
        elif _starts(label, details_label) or ft.norm(label).startswith("details"):
            form.details = value.strip()


def read_form(path: Path, choose: Callable[[str | None], Framework]) -> ReadForm:
    """Read a filled-in form; ``choose`` gives the framework named in it (or the default)."""
    doc = read_word(path)
    ref = doc.framework_ref or None
    if doc.exported:
        fwr = doc.exported.get("framework") or {}
        ref = f"{fwr.get('id')}@{fwr.get('version')}" if fwr else ref
    fw = choose(ref)
    form = ReadForm(path, fw, exported=doc.exported)
    for table in doc.tables:
        for h, row in enumerate(table.rows[:4]):
            columns = _columns(row, fw)
            if columns is not None:
                _owner_lines(doc, fw, form)
                _Reader(form, columns).read(table, h)
                return form
    raise InvalidFileError(
        [
            Problem(
                "holds no table with the form's header row (Findings / Examples of current good "
                "practice / ... pledge to...)",
                path,
                hint="import a form made by `sclearn export`, or one laid out like Appendix 1",
            )
        ]
    )
