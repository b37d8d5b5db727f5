"""The collation's long item table for other programs: CSV (with a byte-order mark), Parquet.

The same rows, in the same columns (``Collation.columns()``), are the workbook's Items sheet
(``workbook``). Column names stay snake_case here, as scripts and DuckDB queries name them; the
workbook, read by people, has them in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import IO, Any

from sclearn.core.errors import UsageError
from sclearn.exports.safety import spreadsheet_cell
from sclearn.services.collate.model import ROW_COLUMNS, Collation

# Excel and LibreOffice read a CSV file as UTF-8 only when it starts with this; without it
# "Hartléy" arrives as "HartlÃ©y".
BOM = "\ufeff"
DATE_COLUMNS = frozenset({"started", "review_due", "reviewed"})
PARQUET_HINT = "install it with: pip install 'sclearn[parquet]'"


def write_csv(
    collation: Collation,
    stream: IO[str],
    check: Callable[[], None] = lambda: None,
    *,
    bom: bool = True,
) -> int:
    """The item table as CSV; returns the number of rows.

    ``bom`` starts it with a UTF-8 byte-order mark (for a file; not for a pipe into another
    program). ``check`` is called before each row: an exception it raises (Ctrl-C) stops it.
    """
    import csv

    if bom:
        stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(collation.columns())
    count = 0
    for row in collation.rows():
        check()
        # CSV has no types: a cell that would start a formula keeps Excel's own apostrophe.
        writer.writerow([spreadsheet_cell(v) for v in row])
        count += 1
    return count


def need_pyarrow() -> None:
    """Raise a UsageError saying how to install pyarrow, if it is not installed."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(
            "--format parquet needs pyarrow, which is not installed", hint=PARQUET_HINT
        ) from None


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def write_parquet(
    collation: Collation,
    stream: IO[bytes],
    check: Callable[[], None] = lambda: None,
    batch: int = 50_000,
) -> int:
    """The item table as Parquet, dates typed, written in batches; returns the number of rows.

    Needs pyarrow (the ``parquet`` extra); without it, a UsageError that says how to get it.
    """
    need_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = collation.columns()
    types = {c: pa.date32() if c in DATE_COLUMNS else pa.string() for c in columns}
    types["point_number"] = pa.int32()
    schema = pa.schema([(c, types[c]) for c in columns])
    number = ROW_COLUMNS.index("point_number")
    dates = [ROW_COLUMNS.index(c) for c in sorted(DATE_COLUMNS)]
    count = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        pending: list[list[Any]] = []

        def flush() -> None:
            if pending:
                table = pa.Table.from_arrays(
                    [
                        pa.array(col, type=types[c])
                        for c, col in zip(columns, zip(*pending, strict=True), strict=True)
                    ],
                    schema=schema,
                )
                writer.write_table(table)
                pending.clear()

        for row in collation.rows():
            check()
            row[number] = row[number] if isinstance(row[number], int) else None
            for i in dates:
                row[i] = _day(row[i])
            pending.append(row)
            count += 1
            if len(pending) >= batch:
                flush()
        flush()
    return count
