"""Fitting the tools people use: editor schema, pre-commit hook, folder settings, migration."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sclearn.files.frameworks import Catalogue, load_framework
from sclearn.services.check import check_file
from sclearn.services.create import NewPledge, write_new

from .conftest import DATA, EXAMPLES, ROOT
from .test_check import edit, fill

BIN = Path(sys.executable).parent


def test_schema_is_specific_to_the_framework(run) -> None:  # type: ignore[no-untyped-def]
    schema = json.loads(run("schema").out)
    points = schema["properties"]["points"]["properties"]
    assert list(points)[:2] == ["child-focus", "partnership-with-parents"]
    assert points["assessment"]["description"] == "4) Assessment:"
    assert schema["$defs"]["Evidence"]["properties"]["source"]["enum"] == ["SR", "SUR", "MR", "CR"]
    assert "positive-change" in schema["$defs"]["Review"]["properties"]["progress"]["enum"]
    assert "I/we pledge to" in schema["$defs"]["PointEntry"]["properties"]["pledges"]["description"]


def test_examples_validate_against_the_schema(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    schema = tmp_path / "s.json"
    assert run("schema", "-o", schema).code == 0
    files = sorted(map(str, EXAMPLES.glob("*.pledge.yaml")))
    ok = subprocess.run(
        [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.pledge.yaml"
    bad.write_text(
        (EXAMPLES / "jo-hartley.pledge.yaml")
        .read_text(encoding="utf-8")
        .replace("source: MR", "source: XX", 1)
        .replace("owner:", "ownr:"),
        encoding="utf-8",
    )
    failed = subprocess.run(
        [str(BIN / "check-jsonschema"), "--schemafile", str(schema), str(bad)],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1 and "ownr" in failed.stdout and "XX" in failed.stdout


def test_new_writes_the_editor_line_and_the_schema(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (
        run("new", "--name", "Ann", "--kind", "individual", "-o", tmp_path, "--no-input").code == 0
    )
    text = (tmp_path / "ann.pledge.yaml").read_text(encoding="utf-8")
    assert text.split("\n")[1] == ("# yaml-language-server: $schema=derbyshire-scr-1.0.schema.json")
    schema = tmp_path / "derbyshire-scr-1.0.schema.json"
    before = schema.read_bytes()
    assert json.loads(before)["title"].endswith("(derbyshire-scr@1.0)")
    assert (
        run("new", "--name", "Bob", "--kind", "individual", "-o", tmp_path, "--no-input").code == 0
    )
    assert schema.read_bytes() == before


def test_pre_commit_hook_catches_an_incomplete_pledge(tmp_path: Path, new_file, fw) -> None:  # type: ignore[no-untyped-def]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sclearn-check")
    import re

    complete = edit(new_file("Done"), lambda d: fill(fw, d))
    incomplete = new_file("Todo")
    assert re.search(hook["files"], complete.name) and not re.search(hook["files"], "x.yaml")
    entry = shlex.split(hook["entry"])
    entry[0] = str(BIN / entry[0])
    assert subprocess.run([*entry, str(complete)], capture_output=True).returncode == 0
    result = subprocess.run(
        [*entry, str(complete), str(incomplete)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "todo.pledge.yaml" in result.stdout


# --- folder settings ----------------------------------------------------------------------------


def test_init_then_settings_apply(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    r = run("init", tmp_path)
    assert r.code == 0 and (tmp_path / "sclearn.toml").exists()
    assert "build/" in (tmp_path / ".gitignore").read_text(encoding="utf-8")
    assert "nothing was changed" in run("init", tmp_path).out
    (tmp_path / "sclearn.toml").write_text(
        'agency = "Derbyshire County Council"\ndistrict = "Erewash"\nreview_after_months = 3\n'
        "case_reference_patterns = ['CP-\\d{6}']\n",
        encoding="utf-8",
    )
    team = tmp_path / "teams" / "north"
    team.mkdir(parents=True)
    monkeypatch.chdir(team)
    assert (
        run(
            "new",
            "--name",
            "Ann",
            "--kind",
            "individual",
            "--started",
            "2026-11-26",
            "--email",
            "a@example.org",
            "--no-input",
        ).code
        == 0
    )
    text = (team / "ann.pledge.yaml").read_text(encoding="utf-8")
    assert 'district: "Erewash"' in text and "review_due: 2027-02-26" in text
    path = edit(
        team / "ann.pledge.yaml",
        lambda d: d["points"]["assessment"].__setitem__(
            "pledges", ["Follow up case CP-123456 with the team"]
        ),
    )
    found = json.loads(run("check", path, "--format", "json").out)["files"][0]["problems"]
    assert any(p["message"].startswith("this looks like a case reference") for p in found)


def test_bad_settings_are_located_with_a_suggestion(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "sclearn.toml").write_text('agency = "X"\ndistrct = "Y"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("new", "--name", "Ann", "--kind", "individual", "--no-input")
    assert r.code == 2
    assert "sclearn.toml:2:1" in r.err and "did you mean 'district'" in r.err
    (tmp_path / "sclearn.toml").write_text('agency = "X\n', encoding="utf-8")
    r = run("new", "--name", "Ann", "--kind", "individual", "--no-input")
    assert r.code == 2 and "not valid TOML" in r.err and "Traceback" not in r.text


# --- framework editions --------------------------------------------------------------------------


@pytest.fixture
def edition_11(tmp_path: Path, fw) -> Path:  # type: ignore[no-untyped-def]
    """A made-up 1.1: renames child-focus, merges points 5 and 6, removes point 10, adds one."""
    data = yaml.safe_load((ROOT / "framework/derbyshire-scr/1.0.yaml").read_text("utf-8"))
    data["version"] = "1.1"
    area1, area2, area3 = data["areas"]
    area1["points"][0]["id"] = "voice-of-the-child"
    five, six = area2["points"][1], area2["points"][2]
    five["id"], five["title"] = "planning-and-intervention", "Planning and intervention"
    five["additional_detail"] += six["additional_detail"]
    area2["points"].remove(six)
    area3["points"] = [p for p in area3["points"] if p["id"] != "knowledge-informed-practice"]
    area3["points"].append({"id": "online-safety", "number": 99, "title": "Online safety"})
    for number, point in enumerate([p for a in data["areas"] for p in a["points"]], start=1):
        point["number"] = number
    data["migrates_from"] = {
        "1.0": {
            "renamed": {"child-focus": "voice-of-the-child"},
            "merged": {
                "planning-and-intervention": ["decision-making-and-planning", "intervention"]
            },
            "removed": ["knowledge-informed-practice"],
            "added": ["online-safety"],
        }
    }
    folder = tmp_path / "board" / "derbyshire-scr"
    folder.mkdir(parents=True)
    (folder / "1.1.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder / "1.1.yaml"


def test_migrate_renames_merges_and_keeps_every_word(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    edition_11: Path,
) -> None:
    path = Path(shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path))
    # A comment of the user's own inside a point that is merged away.
    before = path.read_text(encoding="utf-8").replace(
        "  intervention:\n", "  intervention:\n    # agreed with Priya in March\n"
    )
    path.write_text(before, encoding="utf-8")
    r = run("migrate", path, "--to", "1.1", "--framework", edition_11, "--dry-run")
    assert r.code == 0, r.text
    assert "-  child-focus:" in r.out and "+  voice-of-the-child:" in r.out
    assert path.read_text(encoding="utf-8") == before  # a dry run changes nothing
    r = run("migrate", path, "--to", "1.1", "--framework", edition_11)
    assert r.code == 0, r.text
    assert "merged into planning-and-intervention" in r.out
    after = path.read_text(encoding="utf-8")
    assert "# Migrated from derbyshire-scr@1.0 to derbyshire-scr@1.1" in after
    assert 'framework: {id: derbyshire-scr, version: "1.1"}' in after

    # Every comment of the old file is still there (merged points keep one copy of the
    # form's prompts).
    def comments(text: str) -> set[str]:
        return {ln.strip() for ln in text.split("\n") if ln.strip().startswith("#")}

    assert comments(before) <= comments(after)
    # Merged lists stay under their own prompts: each prompt sits right above its key.
    lines = after.split("\n")
    for prompt, key in (
        ("# Factors that will help", "helps:"),
        ("# Factors that may hinder", "hinders:"),
    ):
        for i, line in enumerate(lines):
            if line.strip() == prompt:
                assert lines[i + 1].strip() == key
    catalogue = Catalogue.load([edition_11.parent.parent])
    lp = check_file(path, catalogue).loaded
    assert lp is not None and lp.framework.version == "1.1"
    p = lp.pledge
    old = yaml.safe_load(before)["points"]
    assert p.points["voice-of-the-child"].pledges == old["child-focus"]["pledges"]  # type: ignore[union-attr]
    merged = p.points["planning-and-intervention"]
    assert merged is not None
    assert merged.pledges == (
        old["decision-making-and-planning"]["pledges"] + old["intervention"]["pledges"]
    )
    assert merged.review is not None and len(merged.review.evidence) == len(
        old["decision-making-and-planning"]["review"]["evidence"]
        + old["intervention"]["review"]["evidence"]
    )
    # The added point sits with the points, above the extra points' heading comment.
    assert p.points["online-safety"] is not None
    assert after.index("  online-safety:") < after.index("# Other relevant findings")
    moved = p.extra_points[-1]
    assert "knowledge-informed-practice" in moved.finding
    assert moved.pledges == old["knowledge-informed-practice"]["pledges"]
    assert moved.review is not None and moved.review.evidence
    # Nothing the user wrote was lost: every item of text is still in the file.
    for entry in old.values():
        for name in ("pledges", "good_practice", "helps", "hinders", "signs_of_success"):
            for item in entry.get(name) or []:
                assert item in after


def test_migrate_refuses_what_it_cannot_do(run, tmp_path: Path, edition_11: Path) -> None:  # type: ignore[no-untyped-def]
    path = Path(shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path))
    before = path.read_bytes()
    r = run("migrate", path, "--to", "1.0")
    assert r.code == 0 and "skipped: already on version 1.0" in r.out
    r = run("migrate", path, "--to", "9.9", "--framework", edition_11)
    assert r.code == 2 and "not known" in r.err
    assert path.read_bytes() == before


def test_migrate_folder_skips_files_already_moved(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    edition_11: Path,
) -> None:
    folder = tmp_path / "pledges"
    folder.mkdir()
    # "a-" sorts first, so the batch meets the already-moved file before the others.
    done = Path(shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", folder / "a-done.pledge.yaml"))
    assert run("migrate", done, "--to", "1.1", "--framework", edition_11).code == 0
    moved_once = done.read_bytes()
    for name in ("b-one", "c-two"):
        shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", folder / f"{name}.pledge.yaml")
    r = run("migrate", folder, "--to", "1.1", "--framework", edition_11)
    assert r.code == 0, r.text
    assert "a-done.pledge.yaml: skipped: already on version 1.1" in r.out
    assert done.read_bytes() == moved_once
    for name in ("b-one", "c-two"):
        assert 'version: "1.1"' in (folder / f"{name}.pledge.yaml").read_text(encoding="utf-8")
    assert "2 moved, 1 skipped (already on version 1.1)" in r.out


def test_migrate_folder_goes_on_after_an_invalid_file(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    edition_11: Path,
) -> None:
    folder = tmp_path / "pledges"
    folder.mkdir()
    (folder / "a-broken.pledge.yaml").write_text("sclearn: 1\nowner: [\n", encoding="utf-8")
    # Valid YAML and a valid pledge, but its framework version is one nobody knows.
    odd = (
        (EXAMPLES / "jo-hartley.pledge.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "1.0"', 'version: "0.9"')
    )
    (folder / "b-odd.pledge.yaml").write_text(odd, encoding="utf-8")
    # A pledge of another framework, which has no version 1.1.
    board = edition_11.parent.parent
    shutil.copy(DATA / "other-framework.yaml", board / "other.yaml")
    write_new(
        load_framework(board / "other.yaml"),
        NewPledge(kind="individual", name="b2"),
        folder / "b-other.pledge.yaml",
    )
    shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", folder / "c-fine.pledge.yaml")
    r = run("migrate", folder, "--to", "1.1", "--framework", board)
    assert r.code == 2
    assert "a-broken.pledge.yaml" in r.err and "b-odd.pledge.yaml" in r.err
    assert "b-other.pledge.yaml:" in r.err and "northshire-learning@1.1 is not known" in r.err
    assert 'version: "1.1"' in (folder / "c-fine.pledge.yaml").read_text(encoding="utf-8")
    assert "1 moved, 3 could not be moved (see above)" in r.out
