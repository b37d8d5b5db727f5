"""Pledge validation messages and `sclearn check` completeness, as the contract defines it."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from sclearn.cli.views import print_report
from sclearn.core.completeness import FileReport, add_months
from sclearn.core.errors import InvalidFileError
from sclearn.core.framework import Framework
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge
from sclearn.files.roundtrip import load_document, save_document
from sclearn.services.check import check_file

from .conftest import DATA


def edit(path: Path, change: Callable[[dict], None]) -> Path:  # type: ignore[type-arg]
    doc = load_document(path)
    change(doc.data)
    save_document(doc)
    return path


def fill(fw: Framework, data: dict, review: bool = False) -> None:  # type: ignore[type-arg]
    """Complete stage 1 (and stage 2 with review=True) for every point."""
    for pt in fw.points:
        entry = data["points"][pt.id]
        entry["pledges"] = [f"pledge for {pt.id}"]
        entry["signs_of_success"] = ["things improve"]
        entry["good_practice"] = ["example"]
        entry["helps"] = ["supervision"]
        entry["hinders"] = ["time"]
        if review:
            entry["review"] = {
                "evidence": [{"text": "audit showed it", "source": "MR"}],
                "progress": "positive-change",
                "notes": "",
            }
    if review:
        data["dates"]["reviewed"] = "2027-05-20"


def problems_of(path: Path, catalogue: Catalogue) -> list[tuple[str, int | None]]:
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    return [(p.message, p.line) for p in info.value.problems]


def test_unknown_key_names_line_column_and_nearest(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    path = new_file()
    text = path.read_text(encoding="utf-8").replace("\nowner:", "\nownr:")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    p = next(p for p in info.value.problems if "ownr" in p.message)
    assert p.message == "unknown key 'ownr' — did you mean 'owner'?"
    assert p.line == text.split("\n").index("ownr:") + 1 and p.column == 1


def test_unknown_point_and_evidence_and_impossible_date(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    path = new_file()

    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["points"]["asessment"] = d["points"].pop("assessment")
        d["points"]["child-focus"]["review"] = {"evidence": [{"text": "x", "source": "MRR"}]}

    edit(path, change)
    found = problems_of(path, catalogue)
    unknown = "'asessment' is not a point of derbyshire-scr@1.0 — did you mean 'assessment'?"
    assert any(m == unknown for m, _ in found)
    assert any(m == "'MRR' is not an evidence source — did you mean 'MR'?" for m, _ in found)
    text = path.read_text(encoding="utf-8").replace("started: 2026-11-26", "started: 2027-02-30")
    path.write_text(text, encoding="utf-8")
    found = problems_of(path, catalogue)
    line = text.split("\n").index("  started: 2027-02-30") + 1
    assert ("'2027-02-30' is not a real date", line) in found


def test_evidence_error_names_the_point(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    path = edit(
        new_file(),
        lambda d: d["points"]["assessment"].__setitem__(
            "review", {"evidence": [{"text": "x", "source": "ZZ"}]}
        ),
    )
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    assert info.value.problems[0].point == "point 4 (Assessment)"


def test_local_extensions_are_allowed(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    path = edit(new_file(), lambda d: d["owner"].__setitem__("x-staff-number", "123"))
    assert load_pledge(path, catalogue).pledge.owner.name == "Sam Patel"


def test_new_file_is_valid_and_incomplete(new_file, catalogue, fw) -> None:  # type: ignore[no-untyped-def]
    report = check_file(new_file(), catalogue)
    assert report.status == "incomplete" and report.stage == 1
    errors = report.errors
    assert len(errors) == 2 * len(fw.points)  # no pledge, no sign of success, for each point
    assert {e.point for e in errors} == {fw.point_label(p.id) for p in fw.points}
    assert all(e.line for e in errors)


def test_stage1_complete_with_skip_and_extra_points(new_file, catalogue, fw) -> None:  # type: ignore[no-untyped-def]
    def change(d: dict) -> None:  # type: ignore[type-arg]
        fill(fw, d)
        d["points"]["intervention"]["pledges"] = []
        d["points"]["intervention"]["skip"] = "Not my role: I do not plan interventions"
        d["extra_points"] = [
            {"finding": "Neglect drift", "pledges": ["use the toolkit"], "signs_of_success": []}
        ]

    path = edit(new_file(), change)
    report = check_file(path, catalogue, "1")
    assert [e.message for e in report.errors] == ["no sign of success yet"]
    assert report.errors[0].point == "extra point 1"
    edit(path, lambda d: d["extra_points"][0].__setitem__("signs_of_success", ["less drift"]))
    report = check_file(path, catalogue, "1")
    assert report.status == "complete" and report.stage1_complete
    assert all(w.severity == "warning" for w in report.problems)


def test_contact_detail_is_required(new_file, catalogue, fw) -> None:  # type: ignore[no-untyped-def]
    def change(d: dict) -> None:  # type: ignore[type-arg]
        fill(fw, d)
        d["owner"]["email"] = ""

    report = check_file(edit(new_file(), change), catalogue)
    assert [e.message for e in report.errors] == ["no contact detail is given"]


def test_stage2(new_file, catalogue, fw) -> None:  # type: ignore[no-untyped-def]
    path = edit(new_file(), lambda d: fill(fw, d))
    report = check_file(path, catalogue, "2")
    assert report.status == "incomplete" and report.stage1_complete
    assert report.errors[0].message == "the six-month review date is not set"
    assert sum(e.message == "no six-month review recorded" for e in report.errors) == 14
    edit(path, lambda d: fill(fw, d, review=True))
    report = check_file(path, catalogue)  # auto: reviewed is set, so stage 2
    assert (report.stage, report.status, report.stage2_complete) == (2, "complete", True)
    edit(path, lambda d: d["points"]["assessment"]["review"].__setitem__("progress", None))
    report = check_file(path, catalogue)
    assert [(e.message, e.point) for e in report.errors] == [
        ("no progress recorded", "point 4 (Assessment)")
    ]


def test_overdue_review_is_a_warning_that_depends_on_as_of(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    path = new_file()
    early = check_file(path, catalogue, as_of=dt.date(2027, 5, 1))
    late = check_file(path, catalogue, as_of=dt.date(2027, 6, 1))
    assert not any("was due" in p.message for p in early.problems)
    assert any(p.message == "the six-month review was due on 26 May 2027" for p in late.warnings)


def test_add_months_handles_short_months() -> None:
    import datetime as dt

    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 26), 6) == dt.date(2027, 5, 26)
    assert add_months(dt.date(2027, 9, 30), 3) == dt.date(2027, 12, 30)


# --- the command --------------------------------------------------------------------------------


def test_check_exit_statuses_and_summary(run, new_file, fw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = edit(new_file("Done Person"), lambda d: fill(fw, d))
    assert run("check", done).code == 0
    todo = new_file("Todo Person")
    r = run("check", done, todo)
    assert r.code == 1 and "1 complete, 1 incomplete, 0 invalid" in r.out
    broken = tmp_path / "broken.pledge.yaml"
    broken.write_text("sclearn: 1\nowner: [\n", encoding="utf-8")
    r = run("check", tmp_path)
    assert r.code == 2 and "1 complete, 1 incomplete, 1 invalid" in r.out
    assert "broken.pledge.yaml" in r.out and "Traceback" not in r.text


def test_check_json(run, new_file) -> None:  # type: ignore[no-untyped-def]
    path = new_file()
    r = run("check", path, "--format", "json", "--as-of", "2026-12-01")
    data = json.loads(r.out)
    assert data["summary"] == {"complete": 0, "incomplete": 1, "invalid": 0}
    entry = data["files"][0]
    assert set(entry) == {
        "path",
        "status",
        "stage",
        "stage1_complete",
        "stage2_complete",
        "framework",
        "owner",
        "review_due",
        "review",
        "signoff",
        "problems",
    }
    assert entry["problems"][0].keys() == {
        "severity",
        "kind",
        "line",
        "column",
        "point",
        "where",
        "message",
        "hint",
    }
    assert {p["kind"] for p in entry["problems"]} == {"must fix", "worth a look"}
    assert len(entry["problems"]) == 70  # json lists every problem: nothing is summarised


def test_check_bad_options(run, new_file) -> None:  # type: ignore[no-untyped-def]
    path = new_file()
    assert run("check", path, "--stage", "3").code == 2
    assert run("check", path, "--as-of", "tomorrow").code == 2
    r = run("check", path.parent / "nothing-here")
    assert r.code == 2 and "no such file" in r.text


def test_check_other_framework(run, tmp_path: Path, other_fw) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "new",
        "--name",
        "Team North",
        "--kind",
        "team",
        "--email",
        "n@example.org",
        "--framework",
        DATA / "other-framework.yaml",
        "-o",
        tmp_path,
        "--no-input",
    )
    assert r.code == 0
    path = tmp_path / "team-north.pledge.yaml"
    assert "review_due: " in path.read_text(encoding="utf-8")
    r = run("check", path, "--framework", DATA / "other-framework.yaml", "--format", "json")
    problems = json.loads(r.out)["files"][0]["problems"]
    assert sum(p["message"] == "no pledge yet" for p in problems) == 5
    r = run("check", path)  # without the board's file the framework is unknown: located error
    assert r.code == 2 and "northshire-learning@2.1, which is not available" in r.out


def test_unknown_field_in_a_point_names_the_point(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    path = new_file()
    text = path.read_text(encoding="utf-8")
    start = text.index("  assessment:\n")
    text = text[:start] + text[start:].replace("    pledges: []", "    pledgs: []", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFileError) as info:
        load_pledge(path, catalogue)
    p = info.value.problems[0]
    assert p.message == "unknown key 'pledgs' — did you mean 'pledges'?"
    assert p.point == "point 4 (Assessment)"
    assert p.line == text.split("\n").index("    pledgs: []", text[:start].count("\n")) + 1


# --- what `check` prints, at 80 columns ---------------------------------------------------------


def shown(report: FileReport, verbose: bool = False) -> list[str]:
    """The report as printed on an 80-column terminal, without colour, line by line."""
    report = dataclasses.replace(report, path=Path(report.path.name))
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None, force_terminal=False)
    print_report(report, console=console, verbose=verbose)
    return buffer.getvalue().rstrip("\n").split("\n")


def assert_readable(lines: list[str]) -> None:
    for line in lines:
        # wider only where one word (a path) is longer than the line
        assert len(line) <= 80 or " " not in line.strip(), line


def test_a_fresh_file_is_said_in_a_few_lines(new_file, catalogue) -> None:  # type: ignore[no-untyped-def]
    report = check_file(new_file(), catalogue)
    lines = shown(report)
    assert_readable(lines)
    assert len(lines) <= 25, "\n".join(lines)
    text = "\n".join(lines)
    assert "14 points still need a pledge and a sign of success (points 1-14)" in text
    assert text.count("  must fix ·") == 1 and text.count("  worth a look ·") == 1
    everything = shown(report, verbose=True)
    assert sum("no pledge yet" in line for line in everything) == 14
    assert len(everything) > 100


def test_a_half_filled_file_names_each_point_left(new_file, catalogue, fw) -> None:  # type: ignore[no-untyped-def]
    def change(d: dict) -> None:  # type: ignore[type-arg]
        fill(fw, d)
        d["points"]["assessment"]["pledges"] = []
        d["points"]["intervention"]["signs_of_success"] = []

    report = check_file(edit(new_file(), change), catalogue)
    lines = shown(report)
    assert_readable(lines)
    text = "\n".join(lines)
    assert lines[0].endswith("stage 1 incomplete: 2 to fix")
    assert "must fix · line" in text and "point 4 (Assessment), pledges" in text
    assert "no sign of success yet" in text
    assert len(lines) == 11, text


def test_a_broken_file_shows_the_line_as_it_should_be(tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sam.pledge.yaml"
    path.write_text(
        (Path(__file__).parent / "mistakes" / "01-colon-in-a-pledge.pledge.yaml").read_text(
            encoding="utf-8"
        ),
        encoding="utf-8",
    )
    lines = shown(check_file(path, catalogue))
    assert_readable(lines)
    assert lines[0] == "sam.pledge.yaml: has a mistake on line 13"
    assert lines[-1].strip() == '- "Ring the GP: ask for records"'  # whole, to copy
    assert len(lines) == 6, "\n".join(lines)


def test_check_text_is_plain_when_piped(run, new_file) -> None:  # type: ignore[no-untyped-def]
    r = run("check", new_file())
    assert "\x1b[" not in r.out and "must fix" in r.out and "worth a look" in r.out


_EXAMPLES = Path(__file__).parent.parent / "examples"


def test_a_review_without_verdicts_is_said_once(catalogue) -> None:  # type: ignore[no-untyped-def]
    # sarah-whitfield's review gives no verdict on any point's signs of success
    report = check_file(_EXAMPLES / "sarah-whitfield.pledge.yaml", catalogue)
    text = "\n".join(shown(report))
    assert text.count("no verdict") + text.count("a verdict on the signs") == 1, text
    assert "14 points could still have a verdict on the signs of success (points 1-14)" in text
    # a stage 1 gap is not folded into the review's line: they are done months apart
    assert "good practice and a verdict" not in text
    assert "--point POINT --signs" in text


def test_a_suggested_command_is_never_broken_across_lines(catalogue) -> None:  # type: ignore[no-untyped-def]
    for path in sorted(_EXAMPLES.glob("*.pledge.yaml")):
        for line in shown(check_file(path, catalogue), verbose=True):
            # a command opened on a line is closed on it
            assert line.count("`") % 2 == 0, f"{path.name}: {line}"
