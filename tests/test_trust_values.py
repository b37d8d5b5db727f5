"""Values are read as written: no YAML tag changes a value's type, no number becomes a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sclearn.core.errors import InvalidFileError
from sclearn.files.decode import read_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.parser import parse_plain
from sclearn.files.pledges import load_pledge

from .conftest import EXAMPLES

PLEDGE = """\
sclearn: 1
framework: {id: derbyshire-scr, version: '1.0'}
owner:
  kind: individual
  name: Sam Example
  email: sam@example.org
dates:
  started: 2026-11-26
"""

# Each explicit tag, on line 5 of a small file (as a value, a key, a list or a mapping).
TAGS = {
    "str": "note: !!str yes",
    "bool": "note: !!bool yes",
    "int": "note: !!int 7",
    "float": "note: !!float 1",
    "null": "note: !!null",
    "timestamp": "note: !!timestamp 2026-11-26",
    "binary": "note: !!binary aGk=",
    "seq": "note: !!seq [a]",
    "map": "note: !!map {a: b}",
    "non-specific": "note: ! text",
    "verbatim": "note: !<tag:yaml.org,2002:str> text",
    "local": "note: !secret text",
    "python": "note: !!python/object/apply:os.system ['echo hi']",
    "on a key": "!!str note: text",
    "merge": "!!merge note: text",
}


@pytest.mark.parametrize("name", TAGS)
def test_every_explicit_tag_is_refused_with_its_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(f"a: 1\nb: 2\nc: 3\nd: 4\n{TAGS[name]}\n", encoding="utf-8")
    with pytest.raises(InvalidFileError) as info:
        parse_plain(read_source(path))
    [problem] = info.value.problems
    assert (problem.path, problem.line) == (path, 5)
    assert "tag" in problem.message and "remove the tag" in (problem.hint or "")


def test_an_exclamation_mark_in_text_is_not_a_tag(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: always!\nb: 'text!'\nc: \"! not a tag\"\nd: [x!, '!y']\n", encoding="utf-8")
    data, _ = parse_plain(read_source(path))
    assert data == {"a": "always!", "b": "text!", "c": "! not a tag", "d": ["x!", "!y"]}


def test_a_tagged_pledge_value_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "x.pledge.yaml"
    path.write_text(
        PLEDGE.replace("  name: Sam Example", "  name: !!str Sam Example"), encoding="utf-8"
    )
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    [problem] = info.value.problems
    assert problem.line == 5 and "!!str" in problem.message


@pytest.mark.parametrize("field", ["started", "review_due", "reviewed"])
@pytest.mark.parametrize(
    "value",
    [
        "0",
        "1764115200",
        "20261126",
        "'0'",
        "2026-11-26T00:00:00",
        "2026-11-26 00:00",
        "26/11/2026",
        "yes",
    ],
)
def test_a_date_must_be_written_year_month_day(
    tmp_path: Path, catalogue: Catalogue, field: str, value: str
) -> None:
    path = tmp_path / "x.pledge.yaml"
    if field == "started":
        text, line = PLEDGE.replace("2026-11-26", value), 8
    else:
        text, line = PLEDGE + f"  {field}: {value}\n", 9
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    [problem] = info.value.problems
    assert (problem.path, problem.line) == (path, line)
    assert problem.loc == ("dates", field)  # shown as "dates, started" beside the message
    assert problem.hint == "write dates as 2026-11-26 (year-month-day)"


def test_dates_written_year_month_day_are_kept(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "x.pledge.yaml"
    path.write_text(PLEDGE + "  review_due: '2027-05-26'\n  reviewed:\n", encoding="utf-8")
    dates = load_pledge(path, catalogue).pledge.dates
    assert (str(dates.started), str(dates.review_due), dates.reviewed) == (
        "2026-11-26",
        "2027-05-26",
        None,
    )


def test_an_impossible_date_gets_the_same_advice(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "x.pledge.yaml"
    path.write_text(PLEDGE.replace("2026-11-26", "2027-02-30"), encoding="utf-8")
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    [problem] = info.value.problems
    assert problem.line == 8 and "'2027-02-30' is not a real date" in problem.message
    assert problem.hint == "write dates as 2026-11-26 (year-month-day)"


def test_the_examples_still_validate(run) -> None:  # type: ignore[no-untyped-def]
    r = run("check", EXAMPLES, "--format", "json")
    files = json.loads(r.out)["files"]
    assert len(files) == 5 and all(f["status"] != "invalid" for f in files), r.text
