"""Spreadsheets as people save them: comma, semicolon or tab separated, dates day first.

Excel writes ';' between columns where the decimal mark is a comma, and a tab when asked for
"Text"; UK Excel writes dates as 26/11/2026. A quote left open in one cell swallows the rows
after it into that cell, so a record that spans lines is checked for rows hidden inside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from sclearn.core.errors import UsageError

DELIMITERS = ",;\t"
# Cells where a line break is a person's own (an address, a list of names); elsewhere it
# means a quote was left open.
MULTILINE_COLUMNS = frozenset({"work_base", "members"})


def column_key(header: str) -> str:
    """A column's name as sclearn knows it: "Line manager" is ``line_manager``."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def sniff_delimiter(text: str, known: Collection[str] = ()) -> str:
    """The delimiter of the header line (``,`` ``;`` or tab); ``,`` when it cannot tell.

    The one that splits the header into the most ``known`` column names wins: the csv
    module's Sniffer, given a single line, picks a comma whenever there is one at all (as in
    ``Name;Work base (street, town)``), so it only settles a tie.
    """
    header = io.StringIO(text, newline="").readline()
    hits = {
        d: sum(column_key(cell) in known for cell in next(csv.reader([header], delimiter=d)))
        for d in DELIMITERS
    }
    best = max(hits.values())
    winners = [d for d, n in hits.items() if n == best]
    if len(winners) == 1:
        return winners[0]
    try:
        found = csv.Sniffer().sniff(header, delimiters="".join(winners)).delimiter
    except csv.Error:  # one column only: nothing to tell them apart by
        return ","
    return found if found in winners else ","


@dataclass
class Record:
    """One spreadsheet row: its row number, the file lines it spans, its cells."""

    row: int
    first_line: int
    last_line: int
    cells: list[str] | None  # None: the quoting broke, and the cells cannot be trusted
    never_closed: bool = False  # a quote was still open at the end of the file


def records(text: str, delimiter: str) -> Iterator[Record]:
    """Every row, with the lines it came from; rows whose quoting is broken have no cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row, line = 0, 1
    while True:
        row += 1
        try:
            cells: list[str] | None = next(reader)
            never_closed = False
        except StopIteration:
            return
        except csv.Error as exc:
            cells = None
            never_closed = "end of data" in str(exc)
        yield Record(row, line, reader.line_num, cells, never_closed)
        line = reader.line_num + 1


def swallowed_rows(record: Record, keys: Sequence[str | None], delimiter: str) -> bool:
    """Whether a row that spans lines has further rows inside it (a quote left open).

    ``keys`` are the column names, None for columns sclearn does not use.
    """
    if record.cells is None:
        return True
    if record.first_line == record.last_line:
        return False
    width = max(len(keys), 3)
    for key, cell in zip(keys, record.cells, strict=False):
        if "\n" not in cell and "\r" not in cell:
            continue
        if key is not None and key not in MULTILINE_COLUMNS:
            return True
        for later in cell.splitlines()[1:]:
            if len(next(csv.reader([later], delimiter=delimiter), [])) >= width:
                return True
    return False


def quote_problem(record: Record) -> str:
    """What to tell the user about a row whose quote was left open."""
    if record.never_closed:
        return (
            f'row {record.row}: a quote (") opened on this row is never closed, so every '
            "line after it ran into this row; no file was written for them"
        )
    return (
        f'row {record.row}: a quote (") opened on this row is not closed until line '
        f"{record.last_line} of the file, so lines {record.first_line} to "
        f"{record.last_line} ran together into one row; no file was written for them"
    )


QUOTE_HINT = (
    'a cell that starts with " must end with "; put "" for a quote inside a cell, '
    "then run the command again for these rows"
)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d+)")


def parse_day(text: str, what: str = "started") -> dt.date:
    """``2026-11-26`` or ``26/11/2026`` (also with ``.`` or ``-``): always day before month."""
    text = text.strip()
    iso, day_first = _ISO.fullmatch(text), _DAY_FIRST.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif day_first:
        if len(day_first.group(4)) != 4:
            raise UsageError(f"{what} '{text}': write the year in full, as in 26/11/2026")
        day, month, year = (int(day_first.group(i)) for i in (1, 3, 4))
    else:
        raise UsageError(
            f"{what} '{text}' is not a date",
            hint="write it as 26/11/2026 (day/month/year) or 2026-11-26",
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        read_as = " (read as day/month/year)" if day_first else ""
        raise UsageError(
            f"{what} '{text}' is not a real date{read_as}",
            hint="write it as 26/11/2026 (day/month/year) or 2026-11-26",
        ) from None
