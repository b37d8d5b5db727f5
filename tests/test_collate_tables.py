"""The collation's tables as people and programs open them: the CSV's byte-order mark, the
workbook's types, layout and plain text (read back with openpyxl and LibreOffice), Excel's row
limit, `--group-by` in both, and the Parquet file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sclearn.files.frameworks import Catalogue
from sclearn.services.collate import Options, collate
from sclearn.services.collate.workbook import write_xlsx

from .conftest import EXAMPLES

AS_OF = "2026-11-26"
OLD = 1_600_000_000_000_000_000
# Text a spreadsheet would take for a formula, a number or a link if it were not written as text.
TRICKY = ("=1+1", "+x", "-5 points", "@x", '=HYPERLINK("http://x")', "& <b>")
# Excel reads _xHHHH_ as an escaped character: kept as typed by escaping its underscore, which
# LibreOffice (as Excel) undoes and openpyxl does not.
ESCAPE_LIKE = "_x0041_ is not A"
ACCENTED = "Café visits with Zoë, à l'école"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCLEARN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def pledges(tmp_path: Path) -> Path:
    folder = tmp_path / "pledges"
    shutil.copytree(EXAMPLES, folder)
    target = folder / "jo-hartley.pledge.yaml"
    text = target.read_text(encoding="utf-8")
    line = "      - I see children alone at every statutory visit and record their words verbatim\n"
    assert text.count(line) == 1
    planted = "".join(f'      - "{x.replace(chr(34), chr(92) + chr(34))}"\n' for x in TRICKY)
    planted += f'      - "{ACCENTED}"\n      - "{ESCAPE_LIKE}"\n'
    target.write_text(text.replace(line, line + planted), "utf-8")
    for path in folder.glob("*.pledge.yaml"):
        os.utime(path, ns=(OLD, OLD))
    return folder


def test_csv_file_has_a_bom_and_keeps_accents(run, pledges: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "items.csv"
    r = run("collate", pledges, "--format", "csv", "-o", out, "--as-of", AS_OF)
    assert r.code == 0, r.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # what Excel and LibreOffice look for
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "owner" in rows[0]  # the mark is not glued to the first column's name
    assert ACCENTED in [x["text"] for x in rows]
    # On the screen or into a pipe there is no mark: another program reads it.
    assert not run("collate", pledges, "--format", "csv", "--as-of", AS_OF).out.startswith("\ufeff")


def test_csv_has_a_column_for_the_grouping(run, pledges: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("collate", pledges, "--format", "csv", "--as-of", AS_OF, "--group-by", "district")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert all(x["district_group"] == (x["district"] or "(not given)") for x in rows)
    assert "Amber Valley" in {x["district_group"] for x in rows}
    plain = run("collate", pledges, "--format", "csv", "--as-of", AS_OF).out
    assert "_group" not in plain.splitlines()[0]


def test_anonymised_group_column_names_no_small_group(run, pledges: Path) -> None:  # type: ignore[no-untyped-def]
    # Five files, each its own team: with --min-group 3 no team may be named in any row.
    r = run(
        "collate", pledges, "--format", "csv", "--as-of", AS_OF, "--group-by", "team",
        "--anonymise", "--min-group", "3",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(r.out)))
    teams = {x["team_group"] for x in rows}
    assert teams <= {"Other (fewer than 3 each)", ""}, teams


def _workbook(run, pledges: Path, tmp_path: Path, *args: str) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "summary.xlsx"
    r = run("collate", pledges, "--format", "xlsx", "-o", out, "--as-of", AS_OF, *args)
    assert r.code == 0 and "Traceback" not in r.err, r.err
    return out


def test_workbook_is_typed_laid_out_and_in_words(run, pledges: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    wb = load_workbook(_workbook(run, pledges, tmp_path))
    assert wb.sheetnames == ["Items", "Summary", "Points", "Overdue", "Unreadable files"]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        # printed A4 landscape, the header on every page, a page wide but for the item table
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        fits = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
        assert fits == (not ws.title.startswith("Items")), ws.title
        if fits:  # (a width of 1 page is the default, so XlsxWriter leaves it out)
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.b for c in ws[1] if c.value is not None), ws.title
        widths = [d.width for d in ws.column_dimensions.values()]
        assert widths and all(8 <= w <= 70 for w in widths), (ws.title, widths)
    items = wb["Items"]
    header = [c.value for c in items[1]]
    assert header[:3] == ["Owner", "Kind", "Agency"] and "Review due" in header
    assert not [h for h in header if "_" in str(h)]
    due = header.index("Review due")
    cells = list(items.iter_rows(min_row=2))
    assert all(isinstance(r[due].value, dt.datetime) for r in cells)
    assert all(r[due].is_date and "yy" in r[due].number_format for r in cells)
    assert {r[header.index("Field")].value for r in cells} >= {"Good practice", "Pledges"}
    # Text is text, exactly as typed: no apostrophe, no formula.
    texts = [r[header.index("Text")] for r in cells]
    for typed in TRICKY:
        found = [c for c in texts if c.value == typed]
        assert found and all(c.data_type == "s" for c in found), typed
    for ws in wb:
        for row in ws.iter_rows():
            assert not [c for c in row if c.data_type == "f"], ws.title
    summary = dict(wb["Summary"].iter_rows(min_row=2, values_only=True))
    assert "Reviews due within 30 days" in summary
    assert isinstance(summary["As of"], dt.datetime)
    assert not [k for k in summary if "_" in str(k)]


def test_workbook_has_sheets_for_the_grouping(run, pledges: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    wb = load_workbook(_workbook(run, pledges, tmp_path, "--group-by", "district"))
    assert "By district" in wb.sheetnames and "Points by district" in wb.sheetnames
    by = list(wb["By district"].iter_rows(values_only=True))
    assert by[0][:2] == ("District", "Collated")
    assert sum(row[1] for row in by[1:]) == 5  # every collated file in some district
    points = list(wb["Points by district"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in points} == {row[0] for row in by[1:]}
    items = list(wb["Items"].iter_rows(values_only=True))
    assert items[0][-1] == "District group"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("localc") is None, reason="LibreOffice Calc is not installed")
def test_libreoffice_shows_text_as_typed(run, pledges: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = _workbook(run, pledges, tmp_path)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path / "lo"),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shown = (tmp_path / "lo" / "summary.csv").read_text(encoding="utf-8")
    cells = {c for row in csv.reader(io.StringIO(shown)) for c in row}
    for typed in (*TRICKY, ESCAPE_LIKE):
        assert typed in cells, typed  # shown as typed, never evaluated
    assert "'-5 points" not in cells  # and no apostrophe to see


def test_items_go_on_in_a_second_sheet_past_the_row_limit(
    pledges: Path, catalogue: Catalogue
) -> None:
    from openpyxl import load_workbook

    collation = collate([pledges], catalogue, Options(as_of=dt.date.fromisoformat(AS_OF)))
    try:
        total = sum(1 for _ in collation.rows())
        raw = io.BytesIO()
        notes = write_xlsx(collation, raw, max_rows=50)
    finally:
        collation.close()
    wb = load_workbook(raw)
    items = [ws for ws in wb if ws.title.startswith("Items")]
    assert [ws.title for ws in items[:3]] == ["Items", "Items 2", "Items 3"]
    assert all(ws.max_row <= 50 for ws in items)
    assert sum(ws.max_row - 1 for ws in items) == total  # every row, none lost
    assert all(ws["A1"].value == "Owner" for ws in items)
    assert notes and "csv or parquet" in notes[0]


def test_parquet_round_trip(run, pledges: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "items.parquet"
    r = run("collate", pledges, "--format", "parquet", "-o", out, "--as-of", AS_OF)
    assert r.code == 0, r.err
    table = pq.read_table(out)
    csv_rows = list(
        csv.DictReader(
            io.StringIO(run("collate", pledges, "--format", "csv", "--as-of", AS_OF).out)
        )
    )
    assert table.num_rows == len(csv_rows)
    assert table.column_names == list(csv_rows[0])
    assert str(table.schema.field("review_due").type) == "date32[day]"
    assert str(table.schema.field("point_number").type) == "int32"
    texts = table.column("text").to_pylist()
    assert all(t in texts for t in TRICKY) and ACCENTED in texts  # as typed: no apostrophe
    first = table.slice(0, 1).to_pylist()[0]
    assert first["review_due"].isoformat() == csv_rows[0]["review_due"]


def test_parquet_without_pyarrow_says_how_to_get_it(
    run,
    pledges: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    out = tmp_path / "items.parquet"
    r = run("collate", pledges, "--format", "parquet", "-o", out, "--as-of", AS_OF)
    assert r.code != 0 and not out.exists()
    assert "sclearn[parquet]" in r.err and "Traceback" not in r.err
