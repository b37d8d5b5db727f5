"""`sclearn new`: flags, prompts, CSV batches, safe names, and a file fit to edit by hand."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sclearn.services.check import check_file
from sclearn.services.create import slugify


def test_new_with_flags(run, tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "new",
        "--name",
        "Northfield Family Support Team",
        "--kind",
        "team",
        "--member",
        "Sam Patel",
        "--member",
        "Alex Morgan",
        "--agency",
        "Derbyshire CC",
        "--email",
        "northfield@example.org",
        "--line-manager",
        "Chris Lee",
        "--started",
        "2026-11-26",
        "-o",
        tmp_path,
        "--no-input",
    )
    assert r.code == 0, r.text
    path = tmp_path / "northfield-family-support-team.pledge.yaml"
    text = path.read_text(encoding="utf-8")
    assert "review_due: 2027-05-26" in text and '- "Alex Morgan"' in text
    assert "# 4) Assessment:" in text and "# I/we pledge to..." in text
    report = check_file(path, catalogue)
    assert report.status == "incomplete"
    assert report.loaded and report.loaded.pledge.line_manager.name == "Chris Lee"


def test_new_never_overwrites(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    args = ("new", "--name", "Sam", "--kind", "individual", "-o", tmp_path, "--no-input")
    assert run(*args).code == 0
    before = (tmp_path / "sam.pledge.yaml").read_bytes()
    r = run(*args)
    assert r.code == 3 and "already exists" in r.err
    assert (tmp_path / "sam.pledge.yaml").read_bytes() == before


def test_no_input_fails_clearly(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("new", "--name", "Sam", "-o", tmp_path, "--no-input")
    assert r.code == 2 and "missing --kind" in r.err
    r = run("new", "--name", "Sam", "--kind", "squad", "-o", tmp_path, "--no-input")
    assert r.code == 2 and "kind must be 'individual' or 'team'" in r.err


def test_prompts_for_missing_details(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sclearn.cli.options.interactive", lambda no_input: not no_input)
    answers = "crew\nteam\n\nThe A Team\nAnn; Bob\nDCC\n\nHigh Peak\n\n\nteam@example.org\n\n\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    r = run("new", "-o", tmp_path)
    assert r.code == 0, r.text
    text = (tmp_path / "the-a-team.pledge.yaml").read_text(encoding="utf-8")
    assert "kind: team" in text and '- "Bob"' in text and 'district: "High Peak"' in text


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Siân O'Brien", "siân-obrien"),
        ("Zoë Ng", "zoë-ng"),
        ("Zażółć Gęślą", "zażółć-gęślą"),
        ("李小龍", "李小龍"),
        ("Ольга Петрова", "ольга-петрова"),
        ("अनीता शर्मा", "अनीता-शर्मा"),  # combining vowel signs are kept with their letters
        ("ＡＮＮ　Ｊｏｎｅｓ", "ann-jones"),  # full-width forms, as some keyboards type them
        ("../../etc/passwd", "etc-passwd"),
        ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j"),
        ("tab\tand\x00nul\x7f", "tab-and-nul"),
        ("evil\u202etxt.exe", "eviltxt-exe"),  # a right-to-left override never reaches a name
        ("Sam Patel.", "sam-patel"),
        ("CON", "con-pledge"),
        ("com¹", "com1-pledge"),
        ("", "pledge"),
        ("   ", "pledge"),
        ("!!! ???", "pledge"),
        ("a" * 200, "a" * 60),
        ("é" * 100, "é" * 30),  # 60 bytes in UTF-8
    ],
)
def test_slugs_are_safe(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_slug_fallback_is_readable() -> None:
    assert slugify("—", fallback="pledge-row-7") == "pledge-row-7"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_name_gives_a_name_safe_everywhere(name: str) -> None:
    slug = slugify(name)
    assert slug and len(slug.encode("utf-8")) <= 60
    assert not set(slug) & set('<>:"/\\|?*.') and all(ord(c) >= 32 for c in slug)
    assert slug == slug.strip(" -") and slug.lower() not in {"con", "prn", "aux", "nul"}
    assert slug == unicodedata.normalize("NFC", slug)


def test_dangerous_name_stays_in_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("new", "--name", "../escape", "--kind", "individual", "-o", tmp_path, "--no-input")
    assert r.code == 0
    assert (tmp_path / "escape.pledge.yaml").exists()
    assert not (tmp_path.parent / "escape.pledge.yaml").exists()


def test_from_csv(run, tmp_path: Path, catalogue) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "\ufeffName,Kind,Members,Email,Line manager,Started,Shoe size\n"
        "Ann Jones,individual,,ann@example.org,Chris Lee,2026-11-26,5\n"
        ",individual,,,,,\n"
        "Bob,individual,,,,2026-13-01,\n"
        "Early Help,team,Ann;Bob,eh@example.org,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "pledges"
    r = run("new", "--from", sheet, "-o", out)
    assert r.code == 2
    assert sorted(p.name for p in out.glob("*.pledge.yaml")) == [
        "ann-jones.pledge.yaml",
        "early-help.pledge.yaml",
    ]
    assert (out / "derbyshire-scr-1.0.schema.json").exists()
    assert "row 3: a name is needed" in r.err and "row 4: started '2026-13-01'" in r.err
    assert "column 'Shoe size' is not used" in r.err
    for path in out.glob("*.pledge.yaml"):
        assert check_file(path, catalogue).status == "incomplete"


def test_reflection_section(run, tmp_path: Path, fw, catalogue) -> None:  # type: ignore[no-untyped-def]
    r = run(
        "new", "--name", "Sam", "--kind", "individual", "--reflection", "-o", tmp_path, "--no-input"
    )
    assert r.code == 0
    path = tmp_path / "sam.pledge.yaml"
    text = path.read_text(encoding="utf-8")
    assert fw.professional_dimension
    for domain in fw.professional_dimension.domains:
        for dim in domain.dimensions:
            assert f"    {dim.id}:\n      balance: null\n" in text
    assert "# Use of authority: Understanding of the authority" in text
    report = check_file(path, catalogue)
    assert report.loaded and len(report.loaded.pledge.reflection["agency"]) == 18


def test_new_files_pass_yamllint(tmp_path: Path, new_file) -> None:  # type: ignore[no-untyped-def]
    paths = [
        new_file("Plain"),
        new_file("Team One", kind="team", members=["A B", "C D"], reflection=True),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", *map(str, paths)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_new_files_lines_fit(new_file) -> None:  # type: ignore[no-untyped-def]
    text = new_file("Team One", kind="team", reflection=True).read_text(encoding="utf-8")
    assert max(len(line) for line in text.split("\n")) <= 80


def test_output_folder_that_does_not_exist_yet(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new" / "team"
    assert run("new", "--name", "Sam", "--kind", "individual", "-o", folder, "--no-input").code == 0
    assert (folder / "sam.pledge.yaml").is_file()
    assert (folder / "derbyshire-scr-1.0.schema.json").is_file()
    named = tmp_path / "chosen-name.yaml"
    assert run("new", "--name", "Sam", "--kind", "individual", "-o", named, "--no-input").code == 0
    assert named.is_file()
