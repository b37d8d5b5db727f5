"""The collation as a workbook a training team can use, written with XlsxWriter.

Every sheet has a bold header row that stays in view, an autofilter and columns sized to their
content; dates are real dates; headers and labels are in words. Text is always written as text
(``write_string``), so a pledge reading ``=1+1`` or ``-5 points`` shows as typed, with no
apostrophe, and nothing can run as a formula. XlsxWriter's constant-memory mode writes each
row as it comes, which is faster than openpyxl's write-only mode (``benchmarks/collate.py``).

Excel holds 1,048,576 rows a sheet: a longer item table goes on in "Items 2", "Items 3"...
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, cast

from sclearn.core.framework import Framework
from sclearn.core.vocabulary import PROGRESS, VERDICTS
from sclearn.exports.safety import xml_text
from sclearn.services.collate.model import Collation
from sclearn.services.collate.tables import DATE_COLUMNS

EXCEL_ROWS = 1_048_576  # rows a sheet holds, the header row included
EXCEL_CELL = 32_767  # characters a cell holds
WIDEST = 60  # characters: a longer text wraps in the cell rather than widening its column
NARROWEST = 10  # characters
MEASURED = 200  # rows looked at to size the columns

# Labels in words for the codes the files use ("signs_of_success", "not-yet").
_WORDS = {
    "point_id": "Point ID",
    "skip": "Why skipped",
    "individual": "Individual",
    "team": "Team",
    "met": "Met",
    "partly": "Partly met",
    "not-yet": "Not yet",
    "too-early": "Too early to tell",
    "positive-change": "Positive change",
    "no-change": "No change",
    "deterioration": "Deterioration",
    "stage1": "Stage 1 signed off",
    "stage2": "Stage 2 signed off",
    "changed_since_signoff": "Changed since sign-off",
    "due_within_30_days": "Reviews due within 30 days",
    "completed": "Reviews completed",
    "overdue": "Reviews overdue",
    "in_progress": "Reviews in progress",
}
_LABELLED = frozenset({"kind", "kind_group", "field", "progress", "verdict"})  # codes


def words(code: str) -> str:
    """A code as people say it: ``signs_of_success`` is "Signs of success"."""
    if code in _WORDS:
        return _WORDS[code]
    text = code.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's (1900) date numbers
# Excel reads "_x0041_" in a cell as "A": a literal one is kept by escaping its underscore.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _column(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


# Anything _xml changes; most texts have none of it, and one search is all they cost.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x")


def _xml(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", xml_text(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Sheet:
    """One worksheet being written row by row, remembering how wide its columns need to be.

    Rows go straight into the sheet's row file as XML, as XlsxWriter's constant-memory mode
    writes them itself: its per-cell calls cost over ten times as much, most of the time of a
    county's workbook. A string is always an inline string (``t="inlineStr"``): text, never
    a formula, a number or a link.
    """

    def __init__(self, book: _Book, title: str, header: Sequence[str], fit: bool = True) -> None:
        self.book, self.ws = book, book.wb.add_worksheet(title)
        # The row file constant-memory mode copies into the sheet when the workbook is closed.
        self.out = cast("IO[str]", self.ws.row_data_fh)
        self.columns = [_column(c) for c in range(len(header))]
        self.widths = [len(h) for h in header]
        self.row = 0
        self.truncated = 0
        self.append(header, self.book.bold_xf)
        self.ws.freeze_panes(1, 0)
        # Printed: A4 landscape, the header row on every page, and a page wide where that
        # keeps the text readable (the item table's long texts would be shrunk to nothing).
        self.ws.set_paper(9)
        self.ws.set_landscape()
        self.ws.repeat_rows(0)
        if fit:
            self.ws.fit_to_pages(1, 0)

    def append(self, values: Sequence[Any], style: int | None = None) -> None:
        """One row: text as text, numbers as numbers, dates as dates, None as an empty cell."""
        if self.row < MEASURED:
            self._measure(values)
        self.row += 1
        n = self.row
        xf = self.book.wrap_xf if style is None else style
        text = f'" s="{xf}" t="inlineStr"><is><t xml:space="preserve">'
        cells = [f'<row r="{n}">']
        add = cells.append
        for ref, value in zip(self.columns, values, strict=False):
            kind = type(value)  # the innermost loop of a county's workbook: no isinstance chain
            if kind is str:
                if value:
                    if len(value) > EXCEL_CELL:
                        self.truncated += 1
                        value = value[:EXCEL_CELL]
                    add(f'<c r="{ref}{n}{text}{_xml(value)}</t></is></c>')
            elif kind is int or kind is float:
                add(f'<c r="{ref}{n}"><v>{value}</v></c>')
            elif kind is bool:
                add(f'<c r="{ref}{n}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                day = (value.date() if isinstance(value, dt.datetime) else value) - _EPOCH
                add(f'<c r="{ref}{n}" s="{self.book.date_xf}"><v>{day.days}</v></c>')
            elif isinstance(value, str):  # a hidden count's words ("fewer than 5")
                add(f'<c r="{ref}{n}{text}{_xml(str(value))}</t></is></c>')
        add("</row>")
        self.out.write("".join(cells))

    def _measure(self, values: Sequence[Any]) -> None:
        for c, value in enumerate(values):
            if isinstance(value, str):
                width = min(len(value), WIDEST)
            elif isinstance(value, bool):
                width = 5
            elif isinstance(value, int | float):
                width = len(str(value))
            elif isinstance(value, dt.date):
                width = 11
            else:
                continue
            self.widths[c] = max(self.widths[c], width)

    def finish(self) -> None:
        """The sheet's extent, the filter over every row written, and the column widths."""
        self.ws._check_dimensions(0, 0)
        self.ws._check_dimensions(max(self.row - 1, 0), len(self.widths) - 1)
        self.ws.autofilter(0, 0, max(self.row - 1, 0), len(self.widths) - 1)
        for c, width in enumerate(self.widths):
            # Room for the filter button beside the header; never narrower than Excel's own.
            self.ws.set_column(c, c, max(width + 3, NARROWEST))


class _Book:
    def __init__(self, stream: IO[bytes]) -> None:
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(
            stream,
            {
                "constant_memory": True,
                # Belt and braces: the rows are written as inline strings anyway (see _Sheet).
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.bold = self.wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.date = self.wb.add_format({"num_format": "d mmm yyyy", "valign": "top"})
        # The indices cells refer to the styles by (given once asked for, kept at close).
        self.bold_xf, self.wrap_xf, self.date_xf = (
            int(f._get_xf_index())  # type: ignore[no-untyped-call]
            for f in (self.bold, self.wrap, self.date)
        )
        self.sheets: list[_Sheet] = []

    def sheet(
        self,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]] = (),
        *,
        fit: bool = True,
    ) -> _Sheet:
        """A new sheet, with ``rows`` written into it and finished; ``fit``: printed a page
        wide."""
        sheet = _Sheet(self, title, header, fit)
        self.sheets.append(sheet)
        for row in rows:
            sheet.append(row)
        sheet.finish()
        return sheet

    def abandon(self) -> None:
        """Stopped halfway: let go of the temporary row files constant-memory mode keeps."""
        for sheet in self.sheets:
            fh = getattr(sheet.ws, "row_data_fh", None)
            name = getattr(sheet.ws, "row_data_filename", None)
            with contextlib.suppress(Exception):
                if fh is not None:
                    fh.close()
                if name:
                    os.unlink(name)


def _item(columns: Sequence[str], row: list[Any]) -> list[Any]:
    for i, name in enumerate(columns):
        value = row[i]
        if name in DATE_COLUMNS:
            row[i] = dt.date.fromisoformat(value) if value else None
        elif name in _LABELLED and value:
            row[i] = words(value)
    return row


def _summary(collation: Collation, data: dict[str, Any]) -> list[list[Any]]:
    sources = collation.chosen.fw.evidence_sources if collation.chosen else {}
    rows: list[list[Any]] = [
        ["Framework", f"{data['framework']['id']}@{data['framework']['version']}"],
        ["As of", collation.options.as_of],
        ["Pledge files found", data["files"]],
        ["Valid files", data["valid"]],
        ["Collated (valid, this framework edition)", data["collated"]],
        ["Individuals", data["owners"]["individual"]],
        ["Teams", data["owners"]["team"]],
        ["Stage 1 complete", data["stage1_complete"]],
        ["Stage 2 complete", data["stage2_complete"]],
        *[[words(k), v] for k, v in data["reviews"].items()],
        *[[words(k), v] for k, v in data["signoff"].items()],
        *[[f"Evidence: {sources.get(k, k)} ({k})", v] for k, v in data["evidence_sources"].items()],
        ["Files that could not be read", len(data["invalid"])],
    ]
    if collation.options.anonymise:
        rows.append(["Anonymised", data["anonymity_rule"]])
    return rows


def _point_header(first: Sequence[str] = ()) -> list[str]:
    return [
        *first,
        "Point",
        "Pledges",
        "Good practice",
        "Owners pledging",
        *(words(p) for p in PROGRESS),
        *(f"Signs of success: {words(v).lower()}" for v in VERDICTS),
    ]


def _point_rows(
    fw: Framework, points: dict[str, Any], first: Sequence[Any] = ()
) -> list[list[Any]]:
    titles = {p.id: f"{p.number}) {p.title}" for p in fw.points}
    return [
        [
            *first,
            titles.get(pid, pid),
            f["pledges"],
            f["good_practice"],
            f["owners_pledging"],
            *(f["progress"][p] for p in PROGRESS),
            *(f["signs"][v] for v in VERDICTS),
        ]
        for pid, f in points.items()
    ]


GROUP_FIGURES = (
    "Collated",
    "Individuals",
    "Teams",
    "Stage 1 complete",
    "Stage 2 complete",
    "Reviews completed",
    "Reviews overdue",
    "Reviews due within 30 days",
)


def _group_sheets(book: _Book, fw: Framework, data: dict[str, Any], field: str) -> None:
    groups = [(words(g) if field == "kind" else g, f) for g, f in data["groups"].items()]
    name = words(field)
    book.sheet(
        f"By {field}",
        [name, *GROUP_FIGURES],
        [
            [
                g,
                f["valid"],
                f["owners"]["individual"],
                f["owners"]["team"],
                f["stage1_complete"],
                f["stage2_complete"],
                *(f["reviews"][k] for k in ("completed", "overdue", "due_within_30_days")),
            ]
            for g, f in groups
        ],
    )
    book.sheet(
        f"Points by {field}",
        _point_header([name]),
        (row for g, f in groups for row in _point_rows(fw, f["points"], [g])),
    )


def _overdue_sheet(book: _Book, data: dict[str, Any]) -> None:
    book.sheet(
        "Overdue",
        ["Owner", "Kind", "Team", "Agency", "District", "Review due", "Days overdue"],
        (
            [
                *(o["owner"], words(o["kind"]), o["team"], o["agency"], o["district"]),
                *(dt.date.fromisoformat(o["review_due"]), o["days_overdue"]),
            ]
            for o in data["overdue_reviews"]
        ),
    )


def _overdue_counts(data: dict[str, Any]) -> list[list[Any]]:
    return [
        [by, name, n]
        for by, key in (("District", "overdue_by_district"), ("Agency", "overdue_by_agency"))
        for name, n in data[key].items()
    ]


def write_xlsx(
    collation: Collation,
    stream: IO[bytes],
    check: Callable[[], None] = lambda: None,
    *,
    max_rows: int = EXCEL_ROWS,
) -> list[str]:
    """Items, Summary, Points, (per group), Overdue and Unreadable files sheets into
    ``stream`` (``files.write.output_file``, which replaces the file only when complete).

    ``check`` is called before each item row; an exception from it stops the writing. Returns
    notes for the user (an item table split across sheets, a text too long for a cell).
    """
    book = _Book(stream)
    notes: list[str] = []
    try:
        data = collation.shown()
        fw = collation.chosen.fw if collation.chosen else None
        columns = collation.columns()
        header = [
            "Point ID"
            if c == "point_id"
            else words(c.removesuffix("_group")) + " group"
            if c.endswith("_group")
            else words(c)
            for c in columns
        ]
        items = book.sheet("Items", header, fit=False)
        for row in collation.rows():
            check()
            if items.row >= max_rows:
                items.finish()
                items = book.sheet(f"Items {len(book.sheets) + 1}", header, fit=False)
            items.append(_item(columns, row))
        items.finish()
        if len(book.sheets) > 1:
            notes.append(
                f"the item table has more rows than an Excel sheet holds ({max_rows:,}), so "
                f"it goes on in sheets Items 2 to Items {len(book.sheets)}; "
                "--format csv or parquet keeps it in one table"
            )
        book.sheet("Summary", ["Figure", "Value"], _summary(collation, data))
        book.sheet("Points", _point_header(), _point_rows(fw, data["points"]) if fw else [])
        if collation.options.group_by and fw:
            _group_sheets(book, fw, data, collation.options.group_by)
        if collation.options.anonymise:  # counted, never listed (see Collation.shown)
            book.sheet("Overdue", ["By", "District or agency", "Overdue"], _overdue_counts(data))
        else:
            _overdue_sheet(book, data)
        book.sheet(
            "Unreadable files",
            ["File", "Error"],
            ([x["path"], x["error"]] for x in data["invalid"]),
        )
    except BaseException:
        book.abandon()
        raise
    book.wb.close()
    truncated = sum(s.truncated for s in book.sheets)
    if truncated:
        notes.append(
            f"{truncated} texts are longer than an Excel cell holds ({EXCEL_CELL:,} "
            "characters) and are cut short in the workbook; --format csv has them whole"
        )
    return notes
