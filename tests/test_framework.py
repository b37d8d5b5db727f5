"""The framework: built-in content checked against the seed, models, lookup, commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sclearn.errors import FrameworkError
from sclearn.framework import Bullet, Catalogue, Framework, load_framework

from .conftest import DATA

CONTRACT_IDS = {
    1: "child-focus", 2: "partnership-with-parents", 3: "wider-family-and-community",
    4: "assessment", 5: "decision-making-and-planning", 6: "intervention",
    7: "reviewing-change", 8: "evaluating-impact", 9: "information-sharing",
    10: "knowledge-informed-practice", 11: "strengths-based-work",
    12: "roles-and-responsibilities", 13: "procedures-and-thresholds",
    14: "anti-discriminatory-practice",
}


def flatten(bullets: list[Bullet]) -> list[str]:
    out: list[str] = []
    for b in bullets:
        if isinstance(b, str):
            out.append(b)
        else:
            out += [b.text, *flatten(b.items)]
    return out


def seed_lines(first: int, last: int) -> list[str]:
    lines = (DATA / "seed.txt").read_text(encoding="utf-8").split("\n")
    return lines[first - 1 : last]


def seed_bullets(first: int, last: int) -> list[str]:
    """Every bullet in a stretch of the seed, extracted independently of the build script."""
    out = []
    for line in seed_lines(first, last):
        text = re.sub(r"</?(i|u)>", "", line)
        for piece in re.split(r"[•○▪]", text)[1:]:
            piece = re.sub(r"<[^>]+>.*", "", piece.split("\t")[0])
            piece = re.sub(r"\s+", " ", piece).strip()
            if piece:
                out.append(piece)
    return out


def test_built_in_has_the_contract_shape(fw: Framework) -> None:
    assert (fw.id, fw.version, fw.review_after_months) == ("derbyshire-scr", "1.0", 6)
    assert [a.id for a in fw.areas] == ["children-and-families", "case-management",
                                        "principles-of-good-practice"]
    assert [len(a.points) for a in fw.areas] == [3, 5, 6]
    assert {p.number: p.id for p in fw.points} == CONTRACT_IDS
    assert fw.evidence_sources == {"SR": "self report", "SUR": "service user report",
                                   "MR": "manager report", "CR": "colleague report"}
    assert fw.prompts.pledges.endswith("I/we pledge to...")
    assert [s.step for s in fw.exercise.stage_1.steps] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert "6 months on" in fw.exercise.stage_2.guidance[0]


def test_every_point_title_is_verbatim(fw: Framework) -> None:
    titles = re.findall(r"<p>(\d+)\) (.*?)</p>", "\n".join(seed_lines(404, 425)))
    # One of them is the second area's heading, set like a point in the source.
    titles.remove(("2", fw.areas[1].title))
    assert len(titles) == 14
    for number, title in titles:
        assert fw.point(number).title == re.sub(r"</?u>", "", title)


def test_every_bullet_of_the_fourteen_point_table_is_kept(fw: Framework) -> None:
    ours = [t for p in fw.points for t in flatten(p.key_points) + flatten(p.additional_detail)]
    seed = seed_bullets(404, 425)
    # Split by the source's conversion and joined again (documented in the framework file).
    joined = {"clarity about who is responsible for which action between",
              "individuals and across agencies",
              "recorded and reported; key information carried throughout",
              "involvement - not lost"}
    for bullet in seed:
        if bullet in joined:
            assert any(bullet in t for t in ours), bullet
        else:
            assert bullet in ours, bullet
    assert len(ours) == len(seed) - 2


def test_every_consideration_of_appendix_2_is_kept(fw: Framework) -> None:
    pd = fw.professional_dimension
    assert pd is not None
    assert [d.id for d in pd.domains] == ["worker", "agency", "inter-agency"]
    assert [len(d.dimensions) for d in pd.domains] == [16, 18, 12]
    ours = [t for d in pd.domains for x in d.dimensions for t in flatten(x.considerations)]
    seed = seed_bullets(589, 651)
    for bullet in seed:
        if bullet.startswith("Referenced to contemporary key benchmarks"):
            # Split by a page break; the rest of the sentence opened the next page.
            assert any(t.startswith(bullet) and t.endswith("policies and procedures etc.")
                       for t in ours)
        else:
            assert bullet in ours, bullet
    titles = [ln.split("\t")[0] for ln in seed_lines(591, 651) if "\t" in ln]
    dims = {x.title for d in pd.domains for x in d.dimensions}
    for title in titles:
        assert not title or title in dims or title in ("Dimension",) or "domain" in title


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
        (("number: 2\n        title: Rec", "number: 1\n        title: Rec"),
         "point number '1' is used twice", 30),
        (("id: voice-of-the-child", "id: Voice Of Child"), "'Voice Of Child' is not in the "
         "expected form", 21),
        (("publisher:", "publsher:"), "unknown key 'publsher' — did you mean 'publisher'?", 5),
        (("version: \"2.1\"", "version: two"), "'two' is not in the expected form", 3),
        (("  OBS: observation", "  obs: observation"), "'obs' is not in the expected form", 9),
        (("review_after_months: 3", "review_after_months: soon"), "should be a whole number",
         7),
        (("title: Northshire Practice Learning\n", ""), "'title' is missing", 2),
        (("- id: working-together", "- id: voice-of-the-child"),
         "area id 'voice-of-the-child' is used twice", 32),
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
    assert {f.id for f in Catalogue.load().frameworks} == {"derbyshire-scr",
                                                           "northshire-learning"}


# --- commands --------------------------------------------------------------------------------


def test_framework_list(run) -> None:  # type: ignore[no-untyped-def]
    r = run("framework", "list")
    assert r.code == 0 and "derbyshire-scr" in r.out and "14" in r.out
    r = run("framework", "list", DATA / "other-framework.yaml", "--format", "json")
    rows = json.loads(r.out)
    assert {(x["id"], x["points"]) for x in rows} == {("derbyshire-scr", 14),
                                                      ("northshire-learning", 5)}


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
    result = subprocess.run([str(sclearn), "framework", "list", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    source = Path(json.loads(result.stdout)[0]["source"])
    assert source.is_file() and source.name == "1.0.yaml"
    from sclearn.resources import builtin_templates_dir

    assert (builtin_templates_dir() / "pledge.html.j2").is_file()
