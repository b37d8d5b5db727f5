"""The framework: built-in content checked against the seed, models, lookup, commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sclearn.core.errors import FrameworkError
from sclearn.core.framework import Framework
from sclearn.files.frameworks import Catalogue, load_framework

from .conftest import DATA, EXAMPLES
from .seed_rows import SPLIT_BULLETS, Row, differences, framework_rows, read_seed

CONTRACT_IDS = {
    1: "child-focus",
    2: "partnership-with-parents",
    3: "wider-family-and-community",
    4: "assessment",
    5: "decision-making-and-planning",
    6: "intervention",
    7: "reviewing-change",
    8: "evaluating-impact",
    9: "information-sharing",
    10: "knowledge-informed-practice",
    11: "strengths-based-work",
    12: "roles-and-responsibilities",
    13: "procedures-and-thresholds",
    14: "anti-discriminatory-practice",
}


def test_built_in_has_the_contract_shape(fw: Framework) -> None:
    assert (fw.id, fw.version, fw.review_after_months) == ("derbyshire-scr", "1.0", 6)
    assert [a.id for a in fw.areas] == [
        "children-and-families",
        "case-management",
        "principles-of-good-practice",
    ]
    assert [len(a.points) for a in fw.areas] == [3, 5, 6]
    assert {p.number: p.id for p in fw.points} == CONTRACT_IDS
    assert fw.evidence_sources == {
        "SR": "self report",
        "SUR": "service user report",
        "MR": "manager report",
        "CR": "colleague report",
    }
    assert fw.prompts.pledges.endswith("I/we pledge to...")
    assert [s.step for s in fw.exercise.stage_1.steps] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert "6 months on" in fw.exercise.stage_2.guidance[0]


# --- fidelity to the seed -------------------------------------------------------------------
# The seed's rows are read from the seed alone (tests/seed_rows.py), from the heading of each
# table to its end; the framework must hold exactly those rows, in the seed's order. The earlier
# test read hard-coded line ranges (589-651) that ended one line before the seed's last line,
# 652 (the file has no final newline, so `wc -l` says 651); it only checked that each bullet it
# saw was somewhere in the framework (under any dimension), and took the number of dimensions
# from the framework itself. So the inter-agency domain's last row, on line 652, was never read
# and its absence went unnoticed.

SEED = read_seed(DATA / "seed.txt")
HEADING = 3  # rows no longer than this are headings: an area, point, domain or dimension


def rows(data: dict[str, Any]) -> list[Row]:
    return [row for row, _, _ in framework_rows(data)]


def test_titles_and_column_headings_are_the_seeds(fw: Framework) -> None:
    pd = fw.professional_dimension
    assert pd is not None
    assert (pd.title, pd.columns) == (SEED.appendix_2_title, SEED.appendix_2_columns)
    assert pd.lead == "For potential consideration:"
    assert (fw.table.title, fw.table.columns) == (SEED.table_title, SEED.table_columns)


def test_every_row_of_the_seed_is_in_the_framework(fw: Framework) -> None:
    """Every area, point, bullet, domain, dimension and consideration, nested as in the seed."""
    assert differences(SEED.rows, rows(fw.model_dump())) == []


def test_the_seed_reader_misses_no_bullet() -> None:
    """Each bullet character from each table's heading to its end makes a row (two pairs of
    bullets the conversion cut in two make one row each)."""
    text = (DATA / "seed.txt").read_text(encoding="utf-8")
    table = text[
        text.index("Three areas ~ fourteen points\t") : text.index(
            "\n8) Developing and improving practice\n"
        )
    ]
    appendix = text[text.index("\nAppendix 2: ") :]
    marks = len(re.findall("[•○▪]", table + appendix))
    headings = [r for r in SEED.rows if len(r) <= HEADING]
    assert marks == len(SEED.rows) - len(headings) + len(SPLIT_BULLETS)
    assert ("Appendix 2", "'Inter-agency' domain", "Custom and institutionalised practice") in (
        SEED.rows
    ), "the seed's last line is read"
    assert sum(r[0] == "table" and len(r) == 3 for r in SEED.rows) == 14
    assert [
        len([r for r in SEED.rows if r[:2] == d and len(r) == 3])
        for d in {r[:2]: None for r in SEED.rows if r[0] == "Appendix 2"}
    ] == [16, 18, 13]


def test_the_file_as_first_released_fails(fw: Framework) -> None:
    """1.0 as first released lacked the inter-agency domain's last row: the test sees it."""
    data = fw.model_dump()
    inter_agency = data["professional_dimension"]["domains"][2]["dimensions"]
    assert inter_agency.pop()["title"] == "Custom and institutionalised practice"
    found = differences(SEED.rows, rows(Framework.model_validate(data).model_dump()))
    assert len(found) == 3 and all("Custom and institutionalised practice" in f for f in found)


@pytest.mark.parametrize("row", SEED.rows, ids=[f"row{i}" for i in range(len(SEED.rows))])
def test_deleting_any_row_is_noticed(fw: Framework, row: Row) -> None:
    data = fw.model_dump()
    places = [(holder, i) for r, holder, i in framework_rows(data) if r == row]
    assert places, f"not in the framework: {row}"
    holder, index = places[0]
    del holder[index]
    changed = Framework.model_validate(data)
    found = differences(SEED.rows, rows(changed.model_dump()))
    assert f"missing from the framework: {' > '.join(row)}" in found


def test_a_changed_word_or_order_is_noticed(fw: Framework) -> None:
    data = fw.model_dump()
    point = data["areas"][1]["points"][0]
    point["additional_detail"][0]["items"][1] = "Information from other areas/authorities"
    assert differences(SEED.rows, rows(data)) == [
        "missing from the framework: table > area 2: Process of ‘case’ management > point 4: "
        "Assessment: > additional detail > Chronologies and records of significant and "
        "critical events matter: > Information from other areas / authorities",
        "not in the seed: table > area 2: Process of ‘case’ management > point 4: Assessment: "
        "> additional detail > Chronologies and records of significant and critical events "
        "matter: > Information from other areas/authorities",
    ]
    data = fw.model_dump()
    dims = data["professional_dimension"]["domains"][0]["dimensions"]
    dims[0], dims[1] = dims[1], dims[0]
    assert differences(SEED.rows, rows(data)) == [
        "the framework has the seed's rows in another order"
    ]


def test_the_correction_keeps_old_files_valid(run, tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    """`sclearn new --reflection` offers the corrected row; a file made before the correction,
    without it, still validates (entries are optional); the example editor schema is current."""
    from sclearn.services.check import check_file

    r = run(
        "new", "--name", "Sam", "--kind", "individual", "--reflection", "-o", tmp_path, "--no-input"
    )
    assert r.code == 0, r.text
    path = tmp_path / "sam.pledge.yaml"
    report = check_file(path, catalogue)
    assert report.loaded is not None
    assert list(report.loaded.pledge.reflection["inter-agency"])[-1] == "custom-and-practice"
    text = path.read_text(encoding="utf-8")
    cut = text.rindex("    # Custom and institutionalised practice:")
    assert text[cut:].endswith('    custom-and-practice:\n      balance: null\n      notes: ""\n')
    path.write_text(text[:cut], encoding="utf-8")
    report = check_file(path, catalogue)
    assert report.loaded is not None and report.status == "incomplete"
    assert "custom-and-practice" not in report.loaded.pledge.reflection["inter-agency"]
    assert run("schema").out == (EXAMPLES / "derbyshire-scr-1.0.schema.json").read_text(
        encoding="utf-8"
    )


def test_nested_bullets_stay_nested(fw: Framework) -> None:
    group = fw.point("4").additional_detail[0]
    assert not isinstance(group, str)
    assert group.text.startswith("Chronologies and records")
    assert group.items[-1] == "Combining chronologies across agencies"


def test_other_shape_needs_no_assumption(other_fw: Framework, tmp_path: Path) -> None:
    assert len(other_fw.areas) == 2 and len(other_fw.points) == 5
    assert other_fw.point("escalation").number == 4
    cat = Catalogue.load([DATA / "other-framework.yaml"])
    assert cat.get("northshire-learning").version == "2.1"
    assert cat.default().id == "derbyshire-scr"


@pytest.mark.parametrize(
    ("change", "expected", "line"),
    [
        (("id: direct-work", "id: escalation"), "point id 'escalation' is used twice", 39),
        (
            ("number: 2\n        title: Rec", "number: 1\n        title: Rec"),
            "point number '1' is used twice",
            30,
        ),
        (
            ("id: voice-of-the-child", "id: Voice Of Child"),
            "'Voice Of Child' is not in the expected form",
            21,
        ),
        (("publisher:", "publsher:"), "unknown key 'publsher' — did you mean 'publisher'?", 5),
        (('version: "2.1"', "version: two"), "'two' is not in the expected form", 3),
        (("  OBS: observation", "  obs: observation"), "'obs' is not in the expected form", 9),
        (("review_after_months: 3", "review_after_months: soon"), "should be a whole number", 7),
        (("title: Northshire Practice Learning\n", ""), "'title' is missing", 2),
        (
            ("- id: working-together", "- id: voice-of-the-child"),
            "area id 'voice-of-the-child' is used twice",
            32,
        ),
    ],
)
def test_each_mistake_gets_a_located_message(
    tmp_path: Path, change: tuple[str, str], expected: str, line: int
) -> None:
    text = (DATA / "other-framework.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(bad)
    messages = [(p.message, p.line) for p in info.value.problems]
    assert any(expected in m and ln == line for m, ln in messages), messages


def test_framework_env_path_adds_a_board_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCLEARN_FRAMEWORK_PATH", str(DATA / "other-framework.yaml"))
    assert {f.id for f in Catalogue.load().frameworks} == {"derbyshire-scr", "northshire-learning"}


# --- commands --------------------------------------------------------------------------------


def test_framework_list(run) -> None:  # type: ignore[no-untyped-def]
    r = run("framework", "list")
    assert r.code == 0 and "derbyshire-scr" in r.out and "14" in r.out
    r = run("framework", "list", DATA / "other-framework.yaml", "--format", "json")
    rows = json.loads(r.out)
    assert {(x["id"], x["points"]) for x in rows} == {
        ("derbyshire-scr", 14),
        ("northshire-learning", 5),
    }


def test_framework_list_reports_a_broken_board_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.yaml").write_text("id: x\n", encoding="utf-8")
    r = run("framework", "list", tmp_path)
    assert r.code == 2 and "derbyshire-scr" in r.out and "bad.yaml" in r.err


def test_framework_show(run) -> None:  # type: ignore[no-untyped-def]
    r = run("framework", "show")
    assert r.code == 0 and "Principles of good practice" in r.out and "child-focus" in r.out
    r = run("framework", "show", "4")
    assert "Chronologies and records" in r.out and "Combining chronologies" in r.out
    assert run("framework", "show", "assessment").out == r.out
    r = run("framework", "show", "worker")
    assert "Use of authority" in r.out
    r = run("framework", "show", "13", "--format", "json")
    assert json.loads(r.out)["id"] == "procedures-and-thresholds"
    r = run("framework", "show", "--framework", DATA / "other-framework.yaml", "escalation")
    assert "Stage one" in r.out


def test_framework_show_unknown_point(run) -> None:  # type: ignore[no-untyped-def]
    r = run("framework", "show", "asessment")
    assert r.code == 2 and "did you mean 'assessment'" in r.err and "Traceback" not in r.text


def test_framework_check(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("framework", "check", DATA / "other-framework.yaml")
    assert r.code == 0 and "5 points" in r.out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: '1'\n", encoding="utf-8")
    r = run("framework", "check", bad)
    assert r.code == 2 and "bad.yaml:1" in r.err and "'title' is missing" in r.err


def test_installed_package_finds_its_data_from_anywhere(tmp_path: Path) -> None:
    """From any folder, sclearn finds its framework and templates (the wheel's own copies in
    sclearn/_data are checked by test_packaging and `make wheel`)."""
    import subprocess
    import sys

    sclearn = Path(sys.executable).parent / "sclearn"
    result = subprocess.run(
        [str(sclearn), "framework", "list", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    source = Path(json.loads(result.stdout)[0]["source"])
    assert source.is_file() and source.name == "1.0.yaml"
    from sclearn.files.resources import builtin_templates_dir

    assert (builtin_templates_dir() / "pledge.html.j2").is_file()
