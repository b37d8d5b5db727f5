"""`sclearn new --from`: spreadsheets as people save them, in any locale, and names that differ."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sclearn.services.check import check_file


def _sheet(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _owner(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**data["owner"], "started": str(data["dates"]["started"])}


def _said(r) -> str:  # type: ignore[no-untyped-def]
    """What the run told the user on stderr, with the terminal's line wrapping undone."""
    return " ".join(r.err.split())


def _written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.pledge.yaml"))


def test_names_that_clash_or_are_not_latin_get_distinct_readable_files(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, catalogue
) -> None:
    out = tmp_path / "pledges"
    out.mkdir()
    # A different Sam Patel's file from an earlier batch: never overwritten.
    (out / "sam-patel.pledge.yaml").write_text("# someone else's\n", encoding="utf-8")
    sheet = _sheet(
        tmp_path,
        "Name,Email\n"
        "Sam Patel,sam1@example.org\n"
        "李小龍,lee@example.org\n"
        "Zoë Ng,zoe@example.org\n"
        "sam patel,sam2@example.org\n"
        "???,who@example.org\n"
        "Олег,oleg@example.org\n",
    )
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 0, r.text
    assert _written(out) == sorted(
        [
            "sam-patel.pledge.yaml",
            "sam-patel-2.pledge.yaml",
            "sam-patel-3.pledge.yaml",
            "李小龍.pledge.yaml",
            "zoë-ng.pledge.yaml",
            "pledge-row-6.pledge.yaml",
            "олег.pledge.yaml",
        ]
    )
    assert (out / "sam-patel.pledge.yaml").read_text(encoding="utf-8") == "# someone else's\n"
    assert _owner(out / "sam-patel-2.pledge.yaml")["email"] == "sam1@example.org"
    assert _owner(out / "sam-patel-3.pledge.yaml")["email"] == "sam2@example.org"
    assert _owner(out / "李小龍.pledge.yaml")["name"] == "李小龍"
    assert (
        "row 2: sam-patel.pledge.yaml already exists, so this row was written as "
        "sam-patel-2.pledge.yaml" in _said(r)
    )
    assert (
        "row 5: sam-patel.pledge.yaml already exists and the name 'sam patel' gives the "
        "same file name as row 2, so this row was written as sam-patel-3.pledge.yaml" in _said(r)
    )
    # Without a file on disk, only the earlier row is the reason.
    again = tmp_path / "again"
    r = run("new", "--from", sheet, "-o", again)
    assert (
        "row 5: the name 'sam patel' gives the same file name as row 2, so this row was "
        "written as sam-patel-2.pledge.yaml" in _said(r)
    )
    assert "row 2:" not in _said(r)
    for path in out.glob("*.pledge.yaml"):
        if path.name != "sam-patel.pledge.yaml":
            assert check_file(path, catalogue).status == "incomplete"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_sheets_are_read(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, delimiter: str
) -> None:
    rows = [
        ["Name", "Kind", "Members", "Work base", "Started"],
        ["Ann Jones", "individual", "", "Town Hall, Matlock", "26/11/2026"],
        ["Early Help", "team", '"Ann; Bob"', "", ""],
    ]
    # Excel in many European locales writes ';' and a BOM when saving "CSV UTF-8".
    sheet = _sheet(tmp_path, "\ufeff" + "\r\n".join(delimiter.join(r) for r in rows) + "\r\n")
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 0, r.text
    assert "not used" not in _said(r)
    assert _written(out) == ["ann-jones.pledge.yaml", "early-help.pledge.yaml"]
    ann = _owner(out / "ann-jones.pledge.yaml")
    assert ann["work_base"] == "Town Hall, Matlock" and ann["started"] == "2026-11-26"
    assert _owner(out / "early-help.pledge.yaml")["members"] == ["Ann", "Bob"]


def test_a_quote_left_open_to_the_end_is_an_error_naming_its_row(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "Name,Email,Role\n"
        "Ann,ann@example.org,Nurse\n"
        'Bob,"bob@example.org,Teacher\n'
        "Cat,cat@example.org,Social worker\n"
        "Dan,dan@example.org,Health visitor\n",
    )
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 2
    said = _said(r)
    assert 'people.csv:3: must fix: row 3: a quote (") opened on this row is never closed' in said
    # Nothing is made of the swallowed rows; the row before is fine.
    assert _written(out) == ["ann.pledge.yaml"]


def test_a_quote_closed_rows_later_is_an_error_naming_its_row(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "Name,Email,Role\n"
        'Ann,"ann@example.org,Nurse\n'
        "Bob,bob@example.org,Teacher\n"
        'Cat,cat@example.org,Social worker"\n'
        "Dan,dan@example.org,Health visitor\n",
    )
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 2
    assert 'row 2: a quote (") opened on this row is not closed until line 4' in _said(r)
    assert _written(out) == ["dan.pledge.yaml"]


def test_a_stray_quote_that_breaks_a_later_row_is_an_error(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path, 'Name,Email\nAnn,"ann@example.org\nBob,"bob@example.org"\nCat,cat@example.org\n'
    )
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 2
    assert 'row 2: a quote (") opened on this row is not closed until line 3' in _said(r)
    assert _written(out) == ["cat.pledge.yaml"]


def test_line_breaks_inside_an_address_or_members_are_fine(  # type: ignore[no-untyped-def]
    run, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path,
        "Name,Kind,Members,Work base,Email\n"
        'Early Help,team,"Ann\nBob","Town Hall\nBank Road, Matlock",eh@example.org\n'
        "Cat,individual,,,cat@example.org\n",
    )
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 0, r.text
    team = _owner(out / "early-help.pledge.yaml")
    assert team["members"] == ["Ann", "Bob"]
    assert team["work_base"] == "Town Hall\nBank Road, Matlock"
    assert "cat.pledge.yaml" in _written(out)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2026-11-26", "2026-11-26"),
        ("26/11/2026", "2026-11-26"),
        ("3/4/2026", "2026-04-03"),  # day first, always
        ("26.11.2026", "2026-11-26"),
        (" 26/11/2026 ", "2026-11-26"),
    ],
)
def test_started_dates_are_day_month_year(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    written: str,
    stored: str,
) -> None:
    sheet = _sheet(tmp_path, f"Name,Started\nAnn,{written}\n")
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 0, r.text
    assert _owner(out / "ann.pledge.yaml")["started"] == stored


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("11/26/2026", "row 2: started '11/26/2026' is not a real date (read as day/month/year"),
        ("31/02/2026", "row 2: started '31/02/2026' is not a real date"),
        ("2026-02-30", "row 2: started '2026-02-30' is not a real date"),
        ("26/11/26", "row 2: started '26/11/26': write the year in full"),
        ("next week", "row 2: started 'next week' is not a date"),
    ],
)
def test_impossible_dates_are_row_errors(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    written: str,
    message: str,
) -> None:
    sheet = _sheet(tmp_path, f"Name,Started\nAnn,{written}\nBob,\n")
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 2 and message in _said(r)
    assert _written(out) == ["bob.pledge.yaml"]


def test_started_option_reads_day_month_year(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "new",
        "--name",
        "Ann",
        "--kind",
        "individual",
        "--started",
        "26/11/2026",
        "-o",
        tmp_path,
        "--no-input",
    )
    assert r.code == 0, r.text
    assert _owner(tmp_path / "ann.pledge.yaml")["started"] == "2026-11-26"


def test_a_role_given_for_a_team_is_reported_as_ignored(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "new",
        "--name",
        "Early Help",
        "--kind",
        "team",
        "--role",
        "Manager",
        "-o",
        tmp_path,
        "--no-input",
    )
    assert r.code == 0, r.text
    assert "a role is for individuals; it was ignored for the team" in _said(r)
    assert "Manager" not in (tmp_path / "early-help.pledge.yaml").read_text(encoding="utf-8")
    sheet = _sheet(tmp_path, "Name,Kind,Role\nEarly Years,team,Lead\nAnn,individual,Nurse\n")
    r = run("new", "--from", sheet, "-o", tmp_path / "batch")
    assert r.code == 0, r.text
    assert (
        "people.csv:2: worth a look: row 2: a role is for individuals; it was ignored for the "
        "team" in _said(r)
    )
    assert "row 3" not in _said(r)


def test_the_delimiter_is_the_one_that_finds_the_columns(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The header has a comma inside a column's name: still a semicolon-separated sheet.
    sheet = _sheet(
        tmp_path, "Name;Kind;Work base (street, town)\nAnn Jones;individual;1 High St, Matlock\n"
    )
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 0, r.text
    assert _written(out) == ["ann-jones.pledge.yaml"]
    assert "column 'Work base (street, town)' is not used" in _said(r)
