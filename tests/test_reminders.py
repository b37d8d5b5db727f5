"""Reminders that reach managers: `due` with --manager and per-manager calendars (read back by a
second iCalendar library, vobject), stable event UIDs, and the `status` board."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]

from .conftest import EXAMPLES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "pledges"
    target.mkdir()
    for path in EXAMPLES.glob("*.pledge.yaml"):
        shutil.copy(path, target)
    # Give one line manager an e-mail.
    hv = target / "erewash-health-visiting-team.pledge.yaml"
    hv.write_text(
        hv.read_text(encoding="utf-8").replace(
            'name: "Anne Clarke"\n  email: ""',
            'name: "Anne Clarke"\n  email: "anne.clarke@example.org"',
        ),
        encoding="utf-8",
    )
    return target


def events(path: Path) -> list[Any]:
    """The events of a calendar file, as vobject (not icalendar, which wrote it) reads them."""
    cal = vobject.readOne(path.read_text(encoding="utf-8"))
    return list(getattr(cal, "vevent_list", []))


def test_calendar_read_back_by_a_second_library(run, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ics = tmp_path / "all.ics"
    r = run("due", folder, "--ics", ics, "--as-of", "2027-04-10")
    assert r.code == 0, r.text
    found = {str(e.summary.value): e for e in events(ics)}
    # Every unfinished review (not only the next 30 days): Okafor's is in May.
    assert len(found) == 3
    hv = found["Overdue since 5 April 2027: Six-month pledge review: Erewash Health Visiting Team"]
    # An overdue review is put today, with a reminder on the day.
    assert hv.dtstart.value == dt.date(2027, 4, 10)
    assert [a.trigger.value for a in hv.valarm_list] == [dt.timedelta(0)]
    # The line manager is invited where an e-mail is known.
    assert hv.attendee.value == "mailto:anne.clarke@example.org"
    assert hv.attendee.params["CN"] == ["Anne Clarke"]
    later = found["Six-month pledge review: PC Dan Okafor"]
    assert later.dtstart.value == dt.date(2027, 5, 2)
    assert sorted(a.trigger.value for a in later.valarm_list) == [
        dt.timedelta(days=-14),
        dt.timedelta(days=-1),
    ]
    assert not hasattr(later, "attendee")
    # --alarm changes the reminders.
    r = run("due", folder, "--ics", ics, "--as-of", "2027-04-10", "--alarm", "7", "--force")
    later = {str(e.summary.value): e for e in events(ics)}["Six-month pledge review: PC Dan Okafor"]
    assert [a.trigger.value for a in later.valarm_list] == [dt.timedelta(days=-7)]


def test_uids_are_the_same_whatever_path_was_typed(
    run,
    folder: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def uids(*args: str | Path) -> dict[str, str]:
        ics = tmp_path / "x.ics"
        r = run("due", *args, "--ics", ics, "--as-of", "2027-04-10", "--force")
        assert r.code == 0, r.text
        return {str(e.summary.value): str(e.uid.value) for e in events(ics)}

    monkeypatch.chdir(folder)
    dot = uids(".")
    assert len(set(dot.values())) == 3
    assert uids() == dot
    assert uids(str(folder)) == dot
    monkeypatch.chdir(folder.parent)
    assert uids("pledges") == dot
    assert uids(os.path.join("pledges", ".")) == dot
    # Moved to another folder: the same pledges, the same events.
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(folder, moved)
    assert uids(moved) == dot


def test_due_for_one_manager_and_a_calendar_each(run, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(
        run(
            "due", folder, "--manager", "anne clarke", "--format", "json", "--as-of", "2027-04-10"
        ).out
    )
    assert [r["owner"] for r in rows] == ["Erewash Health Visiting Team"]
    out = tmp_path / "calendars"
    r = run("due", folder, "--ics-per-manager", out, "--as-of", "2027-04-10")
    assert r.code == 0, r.text
    files = sorted(p.name for p in out.iterdir())
    assert "anne-clarke.ics" in files and len(files) == 3
    anne = events(out / "anne-clarke.ics")
    assert [str(e.summary.value) for e in anne] == [
        "Overdue since 5 April 2027: Six-month pledge review: Erewash Health Visiting Team"
    ]
    # Every event lands in exactly one manager's calendar.
    assert sum(len(events(out / name)) for name in files) == 3


def test_status_board_per_manager_and_formats(run, folder: Path) -> None:  # type: ignore[no-untyped-def]
    hv = folder / "erewash-health-visiting-team.pledge.yaml"
    assert run("signoff", hv, "--stage", "1", "--by", "Anne Clarke").code == 0
    r = run("status", folder, "--as-of", "2026-12-01", "--format", "json")
    assert r.code == 0, r.text
    data = json.loads(r.out)
    states = {p["owner"]: p["state"] for g in data["groups"] for p in g["pledges"]}
    assert states == {
        "Erewash Health Visiting Team": "stage 1 signed off",
        "High Peak Early Help Network": "overdue",
        "Jo Hartley": "stage 2 signed off",
        "Sarah Whitfield": "reviewed",
        "PC Dan Okafor": states["PC Dan Okafor"],
    }
    assert states["PC Dan Okafor"] in ("draft", "stage 1 complete")
    assert sum(data["counts"].values()) == 5 and data["counts"]["overdue"] == 1
    anne = next(g for g in data["groups"] if g["name"] == "Anne Clarke")
    assert anne["counts"]["stage 1 signed off"] == 1
    # The review in progress, due soon, and a change after sign-off.
    r = run("status", folder, "--as-of", "2027-03-20", "--format", "json")
    states = {p["owner"]: p["state"] for g in json.loads(r.out)["groups"] for p in g["pledges"]}
    assert states["Erewash Health Visiting Team"] == "review due"
    run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR")
    r = run("status", folder, "--as-of", "2027-03-20", "--format", "csv", "--by", "district")
    rows = {x["owner"]: x for x in csv.DictReader(io.StringIO(r.out))}
    assert rows["Erewash Health Visiting Team"]["state"] == "review in progress"
    assert rows["Erewash Health Visiting Team"]["group"] == "Erewash"
    hv.write_text(
        hv.read_text(encoding="utf-8").replace("contact template prompts", "x"), encoding="utf-8"
    )
    r = run("status", folder, "--as-of", "2027-03-20")
    assert "changed since" in r.out and "Anne Clarke" in r.out


def test_within_limits_the_calendar_too(run, folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ics = tmp_path / "soon.ics"
    # PC Dan Okafor's review is due 22 days after this date; the other two are overdue.
    r = run("due", folder, "--ics", ics, "--as-of", "2027-04-10", "--within", "10")
    assert r.code == 0, r.text
    titles = sorted(str(e.summary.value) for e in events(ics))
    assert len(titles) == 2 and all(t.startswith("Overdue since") for t in titles), titles
    r = run("due", folder, "--ics", ics, "--as-of", "2027-04-10", "--within", "30", "--force")
    assert "Six-month pledge review: PC Dan Okafor" in {str(e.summary.value) for e in events(ics)}


@pytest.mark.parametrize("width", [80, 100, 140])
def test_tables_keep_file_names_whole_where_the_terminal_has_room(width: int) -> None:
    import io

    from rich.console import Console

    from sclearn.cli.views import word_table

    name = "high-peak-early-help-network.pledge.yaml"
    rows = [("High Peak Early Help Network", "overdue", "20 Oct 2026", name)]
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    console.print(word_table("t", ("owner", "state", "review due", "file"), rows, width))
    lines = buffer.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    assert any(name in line for line in lines)  # not broken across lines
    assert any("20 Oct 2026" in line for line in lines)
