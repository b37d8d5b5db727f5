"""Supervision: reviews finished only when finished, sign-off, verdicts on signs of success,
a whole supervision in one call, and the views every command gives of each state."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from sclearn.core.signoff import digest, review_state
from sclearn.files.decode import decode_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge, parse_pledge
from sclearn.services.check import check_file

from .conftest import EXAMPLES

HV = "erewash-health-visiting-team.pledge.yaml"  # stage 1 complete, review not started


@pytest.fixture
def hv(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    return Path(shutil.copy(EXAMPLES / HV, folder / HV))


def ids(path: Path, catalogue: Catalogue) -> list[str]:
    lp = load_pledge(path, catalogue)
    return [pid for pid, e in lp.pledge.points.items() if e is not None and e.has_pledges]


def answers_for(
    path: Path, catalogue: Catalogue, points: list[str] | None = None, **top: str
) -> str:
    """An answers file recording evidence, progress and one verdict per sign for each point."""
    lp = load_pledge(path, catalogue)
    lines = [f"{k}: {v}" for k, v in top.items()] + ["points:"]
    for pid in points or ids(path, catalogue):
        entry = lp.pledge.points[pid]
        assert entry is not None
        signs = ", ".join(["met"] * len(entry.signs_of_success))
        lines += [
            f"  - point: {pid}",
            "    evidence:",
            f"      - {{text: Audit of {pid}, source: MR, date: 2027-03-30}}",
            "    progress: positive-change",
            f"    signs: [{signs}]",
        ]
    return "\n".join(lines) + "\n"


# --- a review is finished only when finished ----------------------------------------------------


def test_one_point_starts_the_review_and_every_command_sees_it_in_progress(
    run, hv: Path, catalogue: Catalogue
) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "review",
        hv,
        "--point",
        "4",
        "--evidence",
        "Audit",
        "--source",
        "MR",
        "--progress",
        "positive-change",
        "--date",
        "2027-03-20",
    )
    assert r.code == 0, r.text
    lp = load_pledge(hv, catalogue)
    assert lp.pledge.dates.review_started == dt.date(2027, 3, 20)
    assert lp.pledge.dates.reviewed is None and review_state(lp.pledge) == "in-progress"
    # check: stage 2 is checked, and says the review is in progress, not done
    r = run("check", hv, "--as-of", "2027-03-21")
    assert r.code == 1 and "review is in progress" in " ".join(r.out.split())
    data = json.loads(run("check", hv, "--format", "json", "--as-of", "2027-03-21").out)
    assert data["files"][0]["review"] == "in-progress" and data["files"][0]["stage"] == 2
    # due: still listed, and in the calendar; overdue once past its date
    rows = json.loads(run("due", hv.parent, "--format", "json", "--as-of", "2027-03-21").out)
    assert [x["status"] for x in rows] == ["due in 15 days, in progress"]
    rows = json.loads(run("due", hv.parent, "--format", "json", "--as-of", "2027-04-10").out)
    assert [x["status"] for x in rows] == ["overdue by 5 days, in progress"]
    assert "was due on 05 April 2027 and is still in progress" in " ".join(
        run("check", hv, "--as-of", "2027-04-10").out.split()
    )
    # render and collate
    page = run("render", hv, "--format", "md", "--as-of", "2027-03-21").out
    assert "Review in progress since 20 March 2027" in page
    data = json.loads(run("collate", hv.parent, "--format", "json", "--as-of", "2027-04-10").out)
    assert data["reviews"] == {
        "completed": 0,
        "overdue": 1,
        "due_within_30_days": 0,
        "in_progress": 1,
    }


def test_the_answer_that_completes_the_last_point_finishes_the_review(
    run, hv: Path, catalogue: Catalogue, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    points = ids(hv, catalogue)
    first = tmp_path / "first.yaml"
    first.write_text(answers_for(hv, catalogue, points[:-1]), encoding="utf-8")
    assert run("review", hv, "--answers", first, "--date", "2027-04-01").code == 0
    assert load_pledge(hv, catalogue).pledge.dates.reviewed is None
    last = tmp_path / "last.yaml"
    last.write_text(answers_for(hv, catalogue, points[-1:], date="2027-04-02"), encoding="utf-8")
    r = run("review", hv, "--answers", last)
    assert r.code == 0, r.text
    assert "review finished on 02 April 2027" in r.out
    dates = load_pledge(hv, catalogue).pledge.dates
    assert (dates.review_started, dates.reviewed) == (dt.date(2027, 4, 1), dt.date(2027, 4, 2))
    assert check_file(hv, catalogue).status == "complete"
    assert json.loads(run("due", hv.parent, "--format", "json", "--as-of", "2027-04-10").out) == []


def test_finished_by_the_reviewer(run, hv: Path, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    assert (
        run(
            "review",
            hv,
            "--point",
            "1",
            "--evidence",
            "Seen",
            "--source",
            "SR",
            "--date",
            "2027-03-01",
        ).code
        == 0
    )
    r = run("review", hv, "--finished", "--date", "2027-03-05")
    assert r.code == 0, r.text
    dates = load_pledge(hv, catalogue).pledge.dates
    assert (dates.review_started, dates.reviewed) == (dt.date(2027, 3, 1), dt.date(2027, 3, 5))
    assert review_state(load_pledge(hv, catalogue).pledge) == "finished"


def test_existing_reviewed_files_keep_their_meaning(catalogue: Catalogue) -> None:
    lp = load_pledge(EXAMPLES / "jo-hartley.pledge.yaml", catalogue)
    assert lp.pledge.dates.review_started is None and review_state(lp.pledge) == "finished"


# --- one call, several points; never a silent drop ----------------------------------------------


def test_a_repeated_point_is_an_error_not_a_silent_overwrite(run, hv: Path) -> None:  # type: ignore[no-untyped-def]
    before = hv.read_bytes()
    r = run("review", hv, "--point", "4", "--point", "5", "--evidence", "x", "--source", "MR")
    assert r.code == 2 and "--point was given 2 times" in " ".join(r.err.split())
    assert "--answers" in r.err and hv.read_bytes() == before


def test_answers_file_records_every_point_or_nothing(
    run,
    hv: Path,
    catalogue: Catalogue,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(answers_for(hv, catalogue, ["assessment", "intervention"]), encoding="utf-8")
    assert run("review", hv, "--answers", answers, "--date", "2027-04-01").code == 0
    lp = load_pledge(hv, catalogue)
    for pid in ("assessment", "intervention"):
        review = lp.pledge.points[pid].review  # type: ignore[union-attr]
        assert review and review.progress == "positive-change"
        assert review.evidence[0].date == dt.date(2027, 3, 30)
        assert review.signs == ["met"] * len(lp.pledge.points[pid].signs_of_success)  # type: ignore[union-attr]
    # A point named twice (by number and by id) is refused, naming both lines; nothing written.
    before = hv.read_bytes()
    answers.write_text(
        "points:\n  - point: 6\n    progress: no-change\n"
        "  - point: intervention\n    progress: deterioration\n",
        encoding="utf-8",
    )
    r = run("review", hv, "--answers", answers, "--replace")
    assert r.code == 2 and "named twice (first on line 2)" in r.err
    assert hv.read_bytes() == before


# --- verdicts on the signs of success ----------------------------------------------------------


def test_signs_by_flag_and_the_length_check(run, hv: Path, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    n = len(load_pledge(hv, catalogue).pledge.points["assessment"].signs_of_success)  # type: ignore[union-attr]
    r = run("review", hv, "--point", "4", "--signs", ",".join(["met"] * (n + 1)))
    assert r.code == 2 and f"{n + 1} verdicts given for {n} sign" in " ".join(r.err.split())
    r = run("review", hv, "--point", "4", "--signs", "sort-of")
    assert r.code == 2 and "'sort-of' is not a verdict" in r.err
    verdicts = ",".join((["met", "partly", "not-yet", "too-early"] * 3)[:n])
    r = run("review", hv, "--point", "4", "--signs", verdicts)
    assert r.code == 0, r.text
    review = load_pledge(hv, catalogue).pledge.points["assessment"].review  # type: ignore[union-attr]
    assert review and ",".join(review.signs) == verdicts
    # In the file, a list of another length is an error naming both lengths.
    text = hv.read_text(encoding="utf-8").replace(
        f"signs: [{verdicts.replace(',', ', ')}]", f"signs: [{verdicts}, met]"
    )
    assert text != hv.read_text(encoding="utf-8")
    hv.write_text(text, encoding="utf-8")
    r = run("check", hv)
    assert r.code == 2 and f"{n + 1} verdicts given for {n} sign" in " ".join(
        r.out.split() + r.err.split()
    )


def test_interactive_review_judges_each_sign(hv: Path, catalogue: Catalogue) -> None:
    from sclearn.services.review import Session, items, walk

    session = Session(hv, catalogue)
    todo = items(session.lp)[:1]
    n = len(todo[0].entry.signs_of_success)
    questions: list[str] = []
    answers = iter(["y", "Audit", "MR", "", *(["p"] * n), "p", ""])

    def ask(q: str) -> str:
        questions.append(q)
        return next(answers)

    walk(session, todo, ask, lambda item: None, dt.date(2027, 4, 1))
    assert sum(q.startswith("Sign of success") for q in questions) == n
    assert todo[0].entry.signs_of_success[0] in next(
        q for q in questions if q.startswith("Sign of success")
    )
    review = load_pledge(hv, catalogue).pledge.points["child-focus"].review  # type: ignore[union-attr]
    assert review and review.signs == ["partly"] * n


def test_missing_verdicts_are_a_warning_at_stage_2(run, hv: Path) -> None:  # type: ignore[no-untyped-def]
    run("review", hv, "--point", "4", "--evidence", "Audit", "--source", "MR")
    r = run("check", hv, "--format", "json")
    problems = json.loads(r.out)["files"][0]["problems"]
    found = [p for p in problems if "verdict" in p["message"]]
    assert found and found[0]["severity"] == "warning"


# --- the digest -------------------------------------------------------------------------------


def _digest(text: str | bytes, catalogue: Catalogue, stage: int = 1) -> str:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return digest(parse_pledge(decode_source(Path("x.pledge.yaml"), raw), catalogue).pledge, stage)


def test_digest_ignores_layout_and_sees_every_change(catalogue: Catalogue) -> None:
    text = (EXAMPLES / HV).read_text(encoding="utf-8")
    base = _digest(text, catalogue)
    assert base.startswith("sha256:") and len(base) == 7 + 64
    same = [
        text.replace("\n", "\r\n"),  # Windows line endings
        b"\xef\xbb\xbf" + text.encode("utf-8"),  # a BOM
        text.replace("    # Factors that will help\n", ""),  # comments
        text.replace('  agency: "Derbyshire', '  x-note: mine\n  agency: "Derbyshire'),
        # key order: move `skip` above `discussion` in the first point
        text.replace('    discussion: ""\n', '    skip: ""\n    discussion: ""\n', 1).replace(
            '    skip: ""\n\n  # 2)', "\n  # 2)", 1
        ),
        text.replace("see and speak to the child", '"see and speak to the child', 1).replace(
            "how the child presented\n", 'how the child presented"\n', 1
        ),
        text.replace(
            'line_manager:\n  name: "Anne Clarke"',  # not signed content
            'line_manager:\n  name: "Someone Else"',
        ),
    ]
    for variant in same:
        assert _digest(variant, catalogue) == base
    different = [
        text.replace("contact template prompts", "contact template prompt"),
        text.replace('name: "Erewash Health Visiting Team"', 'name: "Erewash HV Team"'),
        text.replace("  kind: team", "  kind: individual"),
        text.replace('    skip: ""\n\n  # 2)', '    skip: "n/a"\n\n  # 2)', 1),
        text.replace("extra_points: []", "extra_points:\n  - finding: x\n    pledges: [y]"),
    ]
    digests = {_digest(v, catalogue) for v in different}
    assert base not in digests and len(digests) == len(different)
    assert _digest(text, catalogue, 2) != base  # the stages differ


# --- sign-off ---------------------------------------------------------------------------------


def test_signoff_refuses_an_incomplete_stage_unless_told(run, hv: Path) -> None:  # type: ignore[no-untyped-def]
    before = hv.read_bytes()
    r = run("signoff", hv, "--stage", "2", "--by", "Chris Lee")
    assert r.code == 2 and "stage 2 is not complete" in r.err and "no six-month review" in r.err
    assert hv.read_bytes() == before
    r = run("signoff", hv, "--stage", "2", "--by", "Chris Lee", "--incomplete")
    assert r.code == 0 and "(not complete)" in r.out


def test_signoff_then_change_then_check_render_collate(
    run,
    hv: Path,
    catalogue: Catalogue,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    before = hv.read_text(encoding="utf-8")
    r = run(
        "signoff",
        hv,
        "--stage",
        "1",
        "--by",
        "Chris Lee",
        "--role",
        "Team Manager",
        "--date",
        "2026-12-03",
    )
    assert r.code == 0, r.text
    after = hv.read_text(encoding="utf-8")
    assert after.startswith(before)  # only lines added, at the end
    signed = load_pledge(hv, catalogue).pledge.signoff
    assert signed and signed.stage1 and signed.stage1.by == "Chris Lee"
    assert signed.stage1.on == dt.date(2026, 12, 3)
    r = run("check", hv)
    assert r.code == 0 and "changed since" not in r.out
    page = run("render", hv, "--format", "md").out
    assert "Agreed with Chris Lee (Team Manager) on 3 December 2026" in page
    # A change to what was signed is named: which point, which field.
    hv.write_text(
        after.replace("contact template prompts", "contact template prompt"), encoding="utf-8"
    )
    r = run("check", hv, "--format", "json")
    assert r.code == 0, r.text  # a warning only
    said = [p for p in json.loads(r.out)["files"][0]["problems"] if "signed" in p["message"]]
    assert [p["severity"] for p in said] == ["warning"]
    assert said[0]["message"].startswith(
        "stage 1 changed since signed off on 3 December 2026 by Chris Lee: "
    )
    assert said[0]["message"].endswith("(Keeping the child/young person and…): helps")
    assert "changed since it was signed off" in run("render", hv, "--format", "md").out
    data = json.loads(run("collate", hv.parent, "--format", "json").out)
    assert data["signoff"] == {"stage1": 1, "stage2": 0, "changed_since_signoff": 1}
    # The folder settings can require sign-off: then it is an error, and part of completeness.
    (hv.parent / "sclearn.toml").write_text("require_signoff = [1]\n", encoding="utf-8")
    r = run("check", hv)
    assert r.code == 1 and "changed since signed off" in " ".join(r.out.split())
    hv.write_text(before, encoding="utf-8")
    r = run("check", hv)
    assert r.code == 1 and "stage 1 is not signed off" in " ".join(r.out.split())


def test_signing_again_replaces_and_the_same_signoff_changes_nothing(run, hv: Path) -> None:  # type: ignore[no-untyped-def]
    args = ("signoff", hv, "--stage", "1", "--by", "Chris Lee", "--date", "2026-12-03")
    assert run(*args).code == 0
    once = hv.read_bytes()
    assert "nothing changed" in run(*args).out and hv.read_bytes() == once
    r = run("signoff", hv, "--stage", "1", "--by", "Chris Lee", "--date", "2026-12-10")
    assert r.code == 0 and "replaces the earlier sign-off" in " ".join(r.out.split())
    assert hv.read_text(encoding="utf-8").count("stage1:") == 1


def test_signed_off_review_with_verdicts_example(run, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    """The examples show a review finished, signed off at both stages, with verdicts."""
    path = EXAMPLES / "jo-hartley.pledge.yaml"
    lp = load_pledge(path, catalogue)
    assert lp.pledge.signoff and lp.pledge.signoff.stage1 and lp.pledge.signoff.stage2
    assert any(e and e.review and e.review.signs for e in lp.pledge.points.values())
    report = check_file(path, catalogue)
    assert report.status == "complete" and not any(c.changed for c in report.signoffs)
    page = run("render", path, "--format", "html").out
    assert "Agreed with" in page and 'class="verdict met"' in page


def test_evidence_date_and_link(run, hv: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (hv.parent / "evidence").mkdir()
    (hv.parent / "evidence" / "audit.pdf").write_bytes(b"%PDF")
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "points:\n  - point: 4\n    evidence:\n"
        "      - {text: Audit, source: MR, date: 2027-03-01, link: evidence/audit.pdf}\n"
        "      - {text: Notes, source: SR, link: evidence/missing.pdf}\n"
        "      - {text: Guide, source: CR, link: 'https://example.org/guide'}\n",
        encoding="utf-8",
    )
    assert run("review", hv, "--answers", answers).code == 0
    problems = json.loads(run("check", hv, "--format", "json").out)["files"][0]["problems"]
    links = [p for p in problems if "link" in p["message"]]
    assert [(p["severity"], p["message"]) for p in links] == [
        ("warning", "the evidence link 'evidence/missing.pdf' does not exist")
    ]
    page = run("render", hv, "--format", "md").out
    line = next(x for x in page.splitlines() if x.startswith("- Audit ("))
    assert line.endswith(", 1 March 2027)")


def test_migrating_merged_points_keeps_verdicts_aligned(tmp_path: Path) -> None:
    from ruamel.yaml.comments import CommentedMap

    from sclearn.services.migrate import _combine

    def point(signs: list[str], verdicts: list[str] | None) -> CommentedMap:
        node = CommentedMap([("pledges", ["p"]), ("signs_of_success", signs)])
        if verdicts is not None:
            node["review"] = CommentedMap([("evidence", []), ("signs", verdicts)])
        return node

    into, notes = point(["a", "b"], ["met", "partly"]), []
    _combine(into, point(["b", "c"], ["not-yet", "too-early"]), "point 4", notes)
    assert list(into["signs_of_success"]) == ["a", "b", "c"]
    assert list(into["review"]["signs"]) == ["met", "partly", "too-early"] and not notes
    into = point(["a"], ["met"])
    _combine(into, point(["c"], None), "point 4", notes)
    assert "signs" not in into["review"] and "judge them again" in notes[0]
