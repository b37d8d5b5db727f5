"""Stage 2: `sclearn review` (flags, scaffold, interactive, resume, conflicts) and `sclearn due`."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sclearn.core.errors import ConflictError
from sclearn.files.frameworks import Catalogue
from sclearn.services.check import check_file
from sclearn.services.review import Session, items, walk

from .conftest import EXAMPLES

HV = "erewash-health-visiting-team.pledge.yaml"  # stage 1 complete, not reviewed


@pytest.fixture
def hv(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / HV, tmp_path / HV))


def assert_only_review_added(before: str, after: str, started: str) -> None:
    """The rest of the file is untouched: only review blocks and the review's start date
    were added (one point does not finish the review)."""
    import difflib

    diff = list(difflib.ndiff(before.split("\n"), after.split("\n")))
    removed = [ln[2:] for ln in diff if ln.startswith("- ")]
    added = [ln[2:] for ln in diff if ln.startswith("+ ")]
    assert removed == []
    assert added[0] == f"  review_started: {started}"
    assert all(ln.startswith("    review:") or ln.startswith("      ") for ln in added[1:])


def test_review_with_flags(run, hv: Path, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    before = hv.read_text(encoding="utf-8")
    r = run(
        "review",
        hv,
        "--point",
        "4",
        "--evidence",
        "Audit: 12 of 12 chronologies updated",
        "--evidence",
        "Named nurse saw the new assessments",
        "--source",
        "MR",
        "--source",
        "CR",
        "--progress",
        "positive-change",
        "--notes",
        "Keep it up",
        "--date",
        "2027-04-01",
    )
    assert r.code == 0, r.text
    assert "stage 2 incomplete" in r.out and "13 points still need a six-month review" in r.out
    assert_only_review_added(before, hv.read_text(encoding="utf-8"), "2027-04-01")
    lp = check_file(hv, catalogue).loaded
    assert lp is not None and lp.pledge.dates.review_started == dt.date(2027, 4, 1)
    assert lp.pledge.dates.reviewed is None  # one point of fourteen: in progress
    review = lp.pledge.points["assessment"].review
    assert review is not None and [(e.text, e.source) for e in review.evidence] == [
        ("Audit: 12 of 12 chronologies updated", "MR"),
        ("Named nurse saw the new assessments", "CR"),
    ]
    assert (review.progress, review.notes) == ("positive-change", "Keep it up")


def test_running_again_adds_without_duplicating_or_overwriting(
    run,
    hv: Path,  # type: ignore[no-untyped-def]
    catalogue,
) -> None:
    args = (
        "review",
        hv,
        "--point",
        "assessment",
        "--evidence",
        "Audit",
        "--source",
        "MR",
        "--progress",
        "no-change",
    )
    assert run(*args).code == 0
    assert run(*args).code == 0  # same again: nothing duplicated
    r = run(
        "review",
        hv,
        "--point",
        "assessment",
        "--evidence",
        "Colleague view",
        "--source",
        "cr",
        "--progress",
        "positive-change",
    )
    assert r.code == 3 and "already recorded as 'no-change'" in r.err
    review = check_file(hv, catalogue).loaded.pledge.points["assessment"].review  # type: ignore[union-attr]
    assert [e.text for e in review.evidence] == ["Audit"] and review.progress == "no-change"
    r = run(
        "review",
        hv,
        "--point",
        "assessment",
        "--evidence",
        "Colleague view",
        "--source",
        "CR",
        "--progress",
        "positive-change",
        "--replace",
    )
    assert r.code == 0
    review = check_file(hv, catalogue).loaded.pledge.points["assessment"].review  # type: ignore[union-attr]
    assert [e.source for e in review.evidence] == ["MR", "CR"]
    assert review.progress == "positive-change"
    # The new item went above the progress prompt, not below it.
    assert (
        "source: CR}\n      # positive-change, no-change or deterioration\n      progress:"
        in hv.read_text(encoding="utf-8")
    )


def test_review_flag_errors(run, hv: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("review", hv, "--point", "4", "--evidence", "x", "--source", "XX")
    assert r.code == 2 and "'XX' is not an evidence source" in r.err
    r = run("review", hv, "--point", "4", "--evidence", "x")
    assert r.code == 2 and "needs a --source" in r.err
    r = run("review", hv, "--point", "99", "--evidence", "x", "--source", "SR")
    assert r.code == 2 and "no point '99'" in r.err
    r = run("review", hv, "--point", "4", "--progress", "better")
    assert r.code == 2 and "not a progress value" in r.err
    r = run("review", hv, "--no-input")
    assert r.code == 2 and "--scaffold" in r.err
    assert "Traceback" not in r.text


def test_scaffold_then_fill_by_hand(
    run,
    tmp_path: Path,
    new_file,
    fw,  # type: ignore[no-untyped-def]
    hv: Path,
    catalogue: Catalogue,
) -> None:
    import subprocess

    from .test_check import edit, fill

    fresh = edit(new_file(), lambda d: fill(fw, d))
    assert run("review", fresh, "--scaffold").code == 0
    lint = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", str(fresh)], capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout
    r = run("review", hv, "--scaffold")
    assert r.code == 0 and "Added 14 review blocks" in r.out
    text = hv.read_text(encoding="utf-8")
    assert text.count("    review:\n") == 14
    assert check_file(hv, catalogue, "2").status == "incomplete"
    # Scaffolding twice adds nothing.
    assert "Added 0 review blocks" in run("review", hv, "--scaffold").out
    filled = text.replace("evidence: []", 'evidence:\n        - {text: "Audit", source: SR}')
    filled = filled.replace("progress: null", "progress: no-change")
    filled = filled.replace("reviewed: null", "reviewed: 2027-04-01")
    hv.write_text(filled, encoding="utf-8")
    assert check_file(hv, catalogue).status == "complete"


def test_review_of_extra_point(run, tmp_path: Path, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    path = Path(shutil.copy(EXAMPLES / "high-peak-early-help-network.pledge.yaml", tmp_path))
    r = run(
        "review",
        path,
        "--point",
        "extra-1",
        "--evidence",
        "Assessments quote children",
        "--source",
        "MR",
        "--progress",
        "positive-change",
    )
    assert r.code == 0, r.text
    lp = check_file(path, catalogue).loaded
    assert lp and lp.pledge.extra_points[0].review
    assert lp.pledge.extra_points[0].review.evidence[0].source == "MR"
    assert run("review", path, "--point", "extra-2", "--progress", "no-change").code == 2


def scripted(answers: list[str]) -> Callable[[str], str]:
    feed: Iterator[str] = iter(answers)

    def ask(question: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise KeyboardInterrupt from None

    return ask


def test_interactive_walk_saves_as_it_goes_and_resumes(hv: Path, catalogue: Catalogue) -> None:
    session = Session(hv, catalogue)
    todo = items(session.lp)
    assert [i.target[1] for i in todo][:2] == ["child-focus", "partnership-with-parents"]
    answers = [
        "y",
        "Records describe presentation in 19 of 20 audited contacts",
        "mr",
        "Parents said we talked to their baby",
        "SUR",
        "",
        "",
        "p",
        "well done",
        "s",  # skip point 2
        "y",
        "Carers recorded",
        "SR",
    ]  # then Ctrl-C in the middle of point 3
    with pytest.raises(KeyboardInterrupt):
        walk(session, todo, scripted(answers), lambda item: None, dt.date(2027, 4, 6))
    lp = check_file(hv, catalogue).loaded
    assert lp is not None and lp.pledge.dates.review_started == dt.date(2027, 4, 6)
    assert lp.pledge.dates.reviewed is None
    first = lp.pledge.points["child-focus"].review
    assert first and [e.source for e in first.evidence] == ["MR", "SUR"]
    assert (first.progress, first.notes) == ("positive-change", "well done")
    assert lp.pledge.points["partnership-with-parents"].review is None
    third = lp.pledge.points["wider-family-and-community"].review
    assert third and third.evidence[0].text == "Carers recorded"  # saved before the Ctrl-C
    # Resume: reviewed points are left out, the rest are offered again.
    session = Session(hv, catalogue)
    remaining = [i for i in items(session.lp) if not i.reviewed]
    assert "child-focus" not in [i.target[1] for i in remaining]
    assert remaining[0].target[1] == "partnership-with-parents"


def test_interactive_through_the_command(
    run,
    hv: Path,
    catalogue: Catalogue,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sclearn.cli.options.interactive", lambda no_input: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\nAudit showed it\nMR\n\n\nn\n\nq\n"))
    r = run("review", hv, "--date", "2027-04-02")
    assert r.code == 0, r.text
    assert "Keeping the child" in r.out and "stage 2 incomplete" in r.out
    review = check_file(hv, catalogue).loaded.pledge.points["child-focus"].review  # type: ignore[union-attr]
    assert review and review.progress == "no-change"


def test_conflict_during_review_loses_nothing(hv: Path, catalogue: Catalogue) -> None:
    session = Session(hv, catalogue)
    colleague = hv.read_text(encoding="utf-8") + "# a colleague's change\n"
    hv.write_text(colleague, encoding="utf-8")
    from sclearn.services.review import Entry

    # New evidence is added to the file as it is now: the colleague's change stays.
    session.record(("points", "assessment"), Entry([("Audit result", "MR")]))
    text = hv.read_text(encoding="utf-8")
    assert "# a colleague's change" in text and "Audit result" in text
    # Replacing a value the reviewer saw before someone else changed the file is refused.
    changed = text + "# another change\n"
    hv.write_text(changed, encoding="utf-8")
    with pytest.raises(ConflictError) as info:
        session.record(("points", "assessment"), Entry(progress="no-change"), replace=True)
    assert "progress: no-change" in (info.value.hint or "")
    assert hv.read_text(encoding="utf-8") == changed


# --- sclearn due ---------------------------------------------------------------------------------


def test_due_lists_soonest_first(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in EXAMPLES.glob("*.pledge.yaml"):
        shutil.copy(name, tmp_path)
    r = run("due", tmp_path, "--as-of", "2026-11-26", "--format", "json")
    rows = json.loads(r.out)
    # High Peak (due 20 Oct 2026) is overdue, its review in progress; Erewash and PC Okafor
    # are due in 2027.
    assert [(x["owner"], x["status"]) for x in rows] == [
        ("High Peak Early Help Network", "overdue by 37 days, in progress")
    ]
    r = run("due", tmp_path, "--as-of", "2027-04-10", "--within", "20", "--format", "json")
    assert [x["owner"] for x in json.loads(r.out)] == [
        "High Peak Early Help Network",
        "Erewash Health Visiting Team",
    ]
    r = run("due", tmp_path, "--as-of", "2027-04-10")
    assert r.code == 0 and "PC Dan Okafor" in r.out and "due in 22 days" in r.out


def test_due_csv_and_calendar(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import csv

    from icalendar import Calendar

    for name in EXAMPLES.glob("*.pledge.yaml"):
        shutil.copy(name, tmp_path)
    ics = tmp_path / "reviews.ics"
    r = run(
        "due", tmp_path, "--as-of", "2027-04-10", "--within", "20", "--format", "csv", "--ics", ics
    )
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [x["owner"] for x in rows] == [
        "High Peak Early Help Network",
        "Erewash Health Visiting Team",
    ]
    cal = Calendar.from_ical(ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    # --within limits the calendar too (without it, the calendar holds every unfinished
    # review); overdue ones are put on the as-of date.
    assert [str(e["summary"]) for e in events] == [
        "Overdue since 20 October 2026: Six-month pledge review: High Peak Early Help Network"
        " (in progress)",
        "Overdue since 5 April 2027: Six-month pledge review: Erewash Health Visiting Team",
    ]
    assert events[1].decoded("dtstart") == dt.date(2027, 4, 10)
    assert "Due: 5 April 2027" in str(events[1]["description"])
    assert "Anne Clarke" in str(events[1]["description"])
    assert len({str(e["uid"]) for e in events}) == 2


def test_due_reports_broken_files_and_goes_on(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(EXAMPLES / "high-peak-early-help-network.pledge.yaml", tmp_path)
    (tmp_path / "broken.pledge.yaml").write_bytes(b"\xff\xfe")
    r = run("due", tmp_path, "--as-of", "2026-11-26")
    assert r.code == 2 and "High Peak" in r.out and "broken.pledge.yaml" in r.err
