"""The collation's options and result: what `collate` gives its outputs."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from sclearn.core.errors import UsageError
from sclearn.core.names import name_remover
from sclearn.services.collate.anonymise import (
    MIN_GROUP,
    Place,
    Places,
    merge_groups,
    other_group,
    rule,
    unquote,
)
from sclearn.services.collate.figures import Edition, Figures
from sclearn.services.collate.small import (
    Hidden,
    count_of,
    hide_small,
    merge_small,
    nulls,
    protect,
)

GROUP_BY = ("agency", "district", "team", "kind")
ROW_COLUMNS = (
    "owner",
    "kind",
    "agency",
    "district",
    "team",
    "point_number",
    "point_id",
    "point_title",
    "field",
    "text",
    "evidence_source",
    "progress",
    "started",
    "review_due",
    "reviewed",
    "file",
    "verdict",
)


def printable(text: str) -> str:
    """A file name as text any output can hold: bytes that are not UTF-8 shown as \\xNN."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")  # how os.fsdecode kept those bytes
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")


@dataclass
class Options:
    """What to collate and how."""

    as_of: dt.date
    framework: str | None = None  # ID@VERSION to collate; default: the one most files use
    group_by: str | None = None
    anonymise: bool = False
    detail: bool = True  # texts for the catalogue and the item table
    table: bool = True  # the item table itself (CSV, workbook): not needed for md, html
    report: bool = True  # the summary report's examples and themes: not needed for a table
    use_cache: bool = True
    workers: int | None = None
    redact: bool = False  # mask personal data in the texts written (implied by anonymise)
    case_patterns: tuple[str, ...] = ()  # a board's case reference formats
    min_group: int = MIN_GROUP  # anonymised: no group or attribution of fewer owners


@dataclass
class Collation:
    """Everything gathered from the files; ``close()`` it when done."""

    options: Options
    files: int = 0
    valid: int = 0
    invalid: list[dict[str, str]] = field(default_factory=list)
    editions: dict[str, Edition] = field(default_factory=dict)
    chosen: Edition | None = None
    counts: Counter[str] = field(default_factory=Counter)  # valid files per edition
    pseudonyms: Counter[str] = field(default_factory=Counter)
    privacy: list[str] = field(default_factory=list)  # files whose text looks like personal data
    mask: Callable[[str], str] | None = None  # set when texts are to be redacted
    notes: list[str] = field(default_factory=list)  # for the user, e.g. the cache was bypassed
    # For removing names from the texts (redacted) and generalising places (anonymised):
    people: set[str] = field(default_factory=set)  # owners', members' and line managers' names
    team_names: set[str] = field(default_factory=set)  # team owners' names, removed only whole
    places: dict[str, Places] = field(default_factory=dict)  # per edition
    anonymous: dict[str, tuple[str, Place]] = field(default_factory=dict)  # pseudonym: kind..
    _unname: Callable[[str], str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.options.redact:
            from sclearn.core.privacy import redactor  # here: it builds the pledge models

            self.mask = redactor([re.compile(p) for p in self.options.case_patterns])

    def masked(self, text: str) -> str:
        """``text`` with what looks like personal data masked, when redacting."""
        return self.mask(text) if self.mask is not None and text else text

    def unname(self, text: str) -> str:
        """``text`` with the collated files' names (and name-like words) removed, when
        redacting. Only called once every file is read: it needs all their names."""
        if not self.options.redact or not text:
            return text
        if self._unname is None:
            self._unname = name_remover(self.people, self.team_names)
        return self._unname(text)

    def scrub(self, text: str) -> str:
        """``text`` masked and with names removed, when redacting."""
        return self.unname(self.masked(text))

    def generalise(self, place: Place) -> Place:
        """An owner's team, agency and district as an anonymised output may show them."""
        if not self.options.anonymise:
            return place
        places = self.places.get(self.chosen.fw.ref) if self.chosen else None
        return places.generalise(place, self.options.min_group) if places else ("", "", "")

    def attribution(self, who: str) -> str:
        """Who wrote a piece of good practice: ``who`` is the pseudonym when anonymised."""
        if not self.options.anonymise:
            return who
        kind, place = self.anonymous.get(who, ("individual", ("", "", "")))
        text = "a team" if kind == "team" else "an individual"
        shown = ", ".join(x for x in self.generalise(place) if x)
        return f"{text}, {shown}" if shown else text

    def groups(self) -> dict[str, Figures]:
        """The chosen edition's groups: those of too few owners merged when anonymised."""
        if self.chosen is None:
            return {}
        if self.options.anonymise:
            return merge_groups(self.chosen.groups, self.options.min_group)
        return self.chosen.groups

    @property
    def other_frameworks(self) -> dict[str, int]:
        """Valid files of other framework editions, per ``id@version``."""
        chosen = self.chosen.fw.ref if self.chosen else None
        return {ref: n for ref, n in sorted(self.counts.items()) if ref != chosen}

    def count(self, n: int, owners: int | None = None) -> int | Hidden:
        """``n`` as the outputs show it: hidden when anonymised and it describes fewer than K
        owners (``owners``: how many; by default ``n`` is itself a count of owners)."""
        return count_of(n, self.options.min_group if self.options.anonymise else None, owners)

    def shown(self) -> dict[str, Any]:
        """The collation JSON as the outputs show it: with ``--anonymise``, a count that
        describes fewer than K owners, or lets one be worked out, is ``Hidden`` (see small)."""
        if self.chosen is None:
            raise UsageError("no valid pledge files were found to collate")
        fw = self.chosen.fw
        opts = self.options
        figures = self._figures(self.chosen.figures)
        groups = {n: self._figures(g) for n, g in sorted(self.groups().items())}
        if opts.anonymise:
            protect(figures, groups.values())
        out: dict[str, Any] = {
            "framework": {"id": fw.id, "version": fw.version},
            "as_of": opts.as_of.isoformat(),
            "files": self.count(self.files),
            "valid": self.count(self.valid),
            "collated": figures.pop("valid"),
            "invalid": [{**x, "error": self._error(x["error"])} for x in self.invalid],
            "other_frameworks": {ref: self.count(n) for ref, n in self.other_frameworks.items()},
            **figures,
            # One row per owner would single each out: anonymised, they are only counted.
            "overdue_reviews": [] if opts.anonymise else self.chosen.overdue,
            "overdue_by_district": self._overdue_by("district"),
            "overdue_by_agency": self._overdue_by("agency"),
            "anonymised": opts.anonymise,
            "redacted": opts.redact,
            # Which owners' texts look like personal data singles them out: counted instead.
            "privacy_warnings": [] if opts.anonymise else self.privacy,
        }
        if opts.anonymise:
            out["min_group"] = opts.min_group
            out["anonymity_rule"] = rule(opts.min_group)
            out["privacy_warnings_count"] = self.count(len(self.privacy))
        if opts.group_by:
            out["group_by"] = opts.group_by
            out["groups"] = groups
        return out

    def as_json(self) -> dict[str, Any]:
        """The data contract's collation JSON (hidden counts are null)."""
        return dict(nulls(self.shown()))

    def _figures(self, figures: Figures) -> dict[str, Any]:
        tree = figures.as_json()
        if self.options.anonymise and figures.reach is not None:
            return dict(hide_small(tree, figures.reach, self.options.min_group))
        return tree

    def _overdue_by(self, key: Literal["district", "agency"]) -> dict[str, int | Hidden]:
        """Overdue reviews per district (or agency), most first."""
        assert self.chosen is not None
        opts = self.options
        # Not generalised: a place with at least K overdue reviews is shared by K owners.
        counts = Counter(str(o[key]) for o in self.chosen.overdue)
        if opts.anonymise:
            shown = merge_small(counts, opts.min_group, other_group(opts.min_group))
        else:
            shown = {name or "(not given)": n for name, n in counts.items()}
        return dict(sorted(shown.items(), key=lambda kv: (_rank(kv[1]), kv[0])))

    def _error(self, error: str) -> str:
        return self.scrub(unquote(error) if self.options.anonymise else error)

    def columns(self) -> tuple[str, ...]:
        """The item table's columns: ROW_COLUMNS, and with ``--group-by`` the row's group."""
        group_by = self.options.group_by
        return (*ROW_COLUMNS, f"{group_by}_group") if group_by else ROW_COLUMNS

    def rows(self) -> Iterator[list[Any]]:
        """The long, tidy item table of the chosen edition (columns: ``columns()``)."""
        if self.chosen is None or self.chosen.rows is None:
            return
        if self.options.anonymise:
            yield from self._anonymous_rows()
            return
        group_by = self.options.group_by
        at = ROW_COLUMNS.index(group_by) if group_by else 0
        self.chosen.rows.seek(0)
        for line in self.chosen.rows:
            row = json.loads(line)
            row[_TEXT] = self.unname(row[_TEXT])
            if group_by:
                row.append(row[at] or "(not given)")
            yield row

    def _anonymous_rows(self) -> Iterator[list[Any]]:
        """The item table as an anonymised output may give it: texts by point and field only.

        A row that kept its owner's pseudonym, place, dates, progress, source or verdict
        would let every hidden count be counted again, so those cells are blank; the texts of
        a point's field are given only where at least K owners wrote one, and in the order
        of their words, never of their files (one person's texts are not side by side).
        """
        assert self.chosen is not None and self.chosen.rows is not None
        k, width = self.options.min_group, len(self.columns())
        writers: dict[tuple[str, str], set[str]] = {}
        texts: list[tuple[Any, str, str, str]] = []
        self.chosen.rows.seek(0)
        for line in self.chosen.rows:
            row = json.loads(line)
            if not row[_TEXT].strip():
                continue
            key = (row[_POINT_ID], row[_FIELD])
            writers.setdefault(key, set()).add(row[_OWNER])
            texts.append((row[_NUMBER], row[_POINT_ID], row[_FIELD], self.unname(row[_TEXT])))
        titles = self.chosen.titles
        texts.sort(key=lambda t: (t[0] == "", t[0] if t[0] != "" else 0, t[1], t[2], t[3]))
        for number, pid, name, text in texts:
            if len(writers[(pid, name)]) >= k:
                row = [""] * width
                row[_NUMBER], row[_POINT_ID], row[_TITLE] = number, pid, titles.get(pid, "")
                row[_FIELD], row[_TEXT] = name, text
                yield row

    def close(self) -> None:
        """Let go of the item tables' temporary files."""
        for edition in self.editions.values():
            if edition.rows is not None:
                edition.rows.close()


def _rank(n: int | Hidden) -> int:
    """Most first, hidden counts last."""
    return -n if isinstance(n, int) else 1


_OWNER, _NUMBER, _POINT_ID, _TITLE, _FIELD, _TEXT = (
    ROW_COLUMNS.index(c)
    for c in ("owner", "point_number", "point_id", "point_title", "field", "text")
)
