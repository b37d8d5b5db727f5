"""`sclearn import`: a filled-in Word form into a new pledge file, or into an existing one.

Into an existing pledge, only what the form changed is written, through the round-trip layer
(comments, order and untouched text stay byte-identical). A form made by `sclearn export`
carries the pledge as it was exported, so each item is compared three ways: what the form
says, what it said when exported, and what the file says now. An item changed in the form
only is written; changed in the file only, it is kept; changed in both, differently, it is a
clash, and nothing is written. A form made by hand has no such record: its items are added to
the file's, and nothing of the file's is removed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from sclearn.core.errors import ConflictError, InvalidFileError, Problem, UsageError
from sclearn.core.framework import Framework
from sclearn.core.pledge import (
    Dates,
    FrameworkRef,
    LineManager,
    LoadedPledge,
    Owner,
    Pledge,
    PointEntry,
)
from sclearn.core.source import SourceText
from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import parse_pledge
from sclearn.files.roundtrip import load_document, render, save_document
from sclearn.files.write import pledge_lock, refuse_read_only
from sclearn.imports.form import ReadForm, item_key, read_form
from sclearn.services.compose import write_pledge
from sclearn.services.form_merge import Clash, merge
from sclearn.services.workspace import Workspace

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()-]{6,}\d")


@dataclass
class Imported:
    """What one form's import did: the file written or changed, the diff, what went wrong."""

    form: Path
    target: Path | None = None
    changed: bool = False
    diff: str = ""
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def chooser(ws: Workspace, fallback: Framework | None = None) -> Callable[[str | None], Framework]:
    """The framework a form names (by ``id@version``), or else ``fallback`` (the pledge's,
    for --into), or the workspace's."""

    def choose(ref: str | None) -> Framework:
        if ref:
            try:
                return ws.catalogue.choose(ref)
            except UsageError:
                pass
        return fallback or ws.framework

    return choose


def exported_pledge(form: ReadForm) -> Pledge | None:
    """The pledge as it was exported into the form, if sclearn made the form."""
    if not form.exported:
        return None
    try:
        return Pledge.model_validate(form.exported)
    except ValidationError:
        return None  # a damaged record: read the form as a hand-made one


def split_details(text: str) -> tuple[str, str, str]:
    """ "work base / phone / e-mail" as the three owner fields."""
    email = _EMAIL.search(text)
    rest = text.replace(email.group(0), " ") if email else text
    phone = _PHONE.search(rest)
    rest = rest.replace(phone.group(0), " ") if phone else rest
    work_base = " / ".join(p.strip(" ,;") for p in rest.split(" / ") if p.strip(" ,;"))
    return (
        work_base.strip(),
        phone.group(0).strip() if phone else "",
        email.group(0) if email else "",
    )


def details_of(owner: Owner) -> str:
    """The owner's details as the form's "Details" line writes them."""
    return " / ".join(v for v in (owner.work_base, owner.phone, owner.email) if v)


def _has_content(entry: PointEntry) -> bool:
    return bool(entry.model_dump(exclude_defaults=True))


def form_pledge(form: ReadForm, today: dt.date) -> Pledge:
    """A new pledge holding what the form holds (and, for an exported form, the details the
    form has no place for: dates, line manager, the owner's role and agency)."""
    base = exported_pledge(form)
    fw = form.framework
    owner = (
        base.owner.model_copy()
        if base
        else Owner(kind="team" if "team" in form.name.lower().split() else "individual")
    )
    if form.name:
        owner.name = form.name
    if form.details and form.details != details_of(owner):
        owner.work_base, owner.phone, owner.email = split_details(form.details)
    if not owner.name.strip():
        raise InvalidFileError(
            [
                Problem(
                    "the form has no name, so the pledge file cannot be named",
                    form.path,
                    hint="fill in 'Name (individual / team):' at the top of the form, "
                    "then import it again",
                )
            ]
        )
    old_points = base.points if base else {}
    old_extras = base.extra_points if base else []
    return Pledge(
        sclearn=1,
        framework=FrameworkRef(id=fw.id, version=fw.version),
        owner=owner,
        line_manager=base.line_manager if base else LineManager(),
        dates=base.dates if base else Dates(started=today),
        points={
            pid: _carry(e, old_points.get(pid))
            for pid, e in form.entries.items()
            if _has_content(e)
        },
        extra_points=[
            _carry(e, old_extras[i] if i < len(old_extras) else None)
            for i, e in enumerate(form.extras)
            if _has_content(e)
        ],
        reflection=base.reflection if base else {},
        signoff=base.signoff if base else None,
    )


E = TypeVar("E", bound=PointEntry)


def _carry(entry: E, old: PointEntry | None) -> E:
    """What the form has no place for, from the pledge as exported, where it still fits: the
    verdicts on signs of success (while the signs are unchanged), evidence dates and links."""
    if old is None or old.review is None or entry.review is None:
        return entry
    review = entry.review.model_copy()
    if entry.signs_of_success == old.signs_of_success:
        review.signs = list(old.review.signs)
    known = {(e.text, e.source): e for e in old.review.evidence}
    review.evidence = [known.get((e.text, e.source), e) for e in review.evidence]
    return entry.model_copy(update={"review": review})


def import_new(ws: Workspace, path: Path, output: Path, today: dt.date) -> Imported:
    """Read one form and write it as a new pledge file in ``output``."""
    form = read_form(path, chooser(ws))
    if not form.ok:
        raise InvalidFileError(form.problems)
    pledge = form_pledge(form, today)
    target = write_pledge(form.framework, pledge, output)
    return Imported(path, target, True, problems=form.problems)


def _validator(catalogue: Catalogue, path: Path) -> Callable[[SourceText], object]:
    def validate(new: SourceText) -> LoadedPledge:
        try:
            return parse_pledge(new, catalogue)
        except InvalidFileError as exc:
            raise UsageError(
                f"{path} was not changed: the form's text would make it "
                f"unreadable ({exc.problems[0].message})",
                hint="make the form and the file agree (for example, give "
                "a verdict in the file for each sign of success the form adds), "
                "then import it again",
            ) from None

    return validate


def import_into(ws: Workspace, path: Path, target: Path, *, dry_run: bool = False) -> Imported:
    """Read one form and put what it changed into an existing pledge file."""
    edition = parse_pledge(read_source(target), ws.catalogue).framework
    form = read_form(path, chooser(ws, edition))
    if not form.ok:
        raise InvalidFileError(form.problems)
    if not dry_run:
        refuse_read_only(target)
    with pledge_lock(target):
        source = read_source(target)
        lp = parse_pledge(source, ws.catalogue)
        if lp.framework.ref != form.framework.ref:
            raise UsageError(
                f"{path} is a form for {form.framework.ref}, but {target} is "
                f"made against {lp.framework.ref}",
                hint="export a new form from the pledge, or run `sclearn "
                "migrate` on the pledge first",
            )
        doc = load_document(target, source)
        clashes: list[Clash] = merge(doc, lp, form, exported_pledge(form))
        if clashes:
            raise ConflictError(
                f"{target} was not changed: the form and the file were both changed since the "
                "form was exported, differently, in: " + "; ".join(c.where for c in clashes),
                hint="open both, decide which text to keep, put it in the file or the form, "
                "then import again",
            )
        text, notes = render(doc)
        before = source.as_written
        diff = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{target} (now)",
                f"{target} (with {path.name})",
            )
        )
        done = Imported(path, target, text != before, diff, form.problems, notes)
        if dry_run or not done.changed:
            return done
        save_document(doc, _validator(ws.catalogue, target))
        done.notes = doc.notes
        return done


__all__ = ["Imported", "import_into", "import_new", "item_key"]
