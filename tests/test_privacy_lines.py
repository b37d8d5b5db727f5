"""Each personal-data finding on its own line and column, in every field people type in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sclearn.core.privacy import compile_patterns, is_personal_data
from sclearn.files.frameworks import Catalogue
from sclearn.services.check import check_file

# Every kind of field: plain, quoted and flow values, block scalars (| and >), a plain scalar
# over two lines, x- keys at the top, in the owner and in points (with a block scalar), the
# owner's members, agency, team and district, the line manager's name. The contact fields hold
# identifiers too: they must not be reported.
PLEDGE = """\
sclearn: 1
framework: {id: derbyshire-scr, version: "1.0"}
x-note: "Mum's mobile 07700 900123"  # a comment
owner:
  kind: team
  name: Early Help Team
  members: ["Sam (DOB 12/03/1990)", Alex Jones]
  role: Family support
  agency: "Derbyshire County Council, DE4 3AG"
  team: Team line 01773 123456
  district: 'Amber Valley S40 1LP'
  work_base: "Ripley Area Office, DE5 3AB"
  phone: "01773 531000"
  email: team@example.org
  x-private: mum.smith@gmail.com
line_manager:
  name: "Priya Shah (07911 123 456)"
  email: priya@example.org
dates:
  started: 2026-11-26
points:
  child-focus:
    discussion: |
      We talked about the family at NG10 1AA.
      The youngest was born on the 3rd of March 2015.
    good_practice:
      - Checked NHS no. 943 476 5919 with health
      - "Plan CP-123456 reviewed"
      - >
        Folded text mentioning
        DoB: 12th Mar '15 on its own line
    pledges:
      - I will not write 07700 900456 in notes; nor j.doe@example.co.uk, ever
    helps: ['Call dad on 0115-9876543']
    hinders:
      - a plain scalar that runs
        over two lines with SK17 6EH here
      - a number split over lines, 494 821
        9932, is found at its start
    signs_of_success: ["Fewer errors", "DOB 2015/03/12 removed"]
    x-mine:
      - born March 12, 2015
      - text: DE7 5QQ
    review:
      evidence:
        - {text: "Audit found 718 190 9371 in a note", source: MR}
      notes: "Seen at DE21 4BX, then at DE21 4BX again"
extra_points:
  - finding: "Record for 486-091-3906"
    pledges: ["a pledge"]
    x-todo: |
      ring 020 7946 0018
reflection:
  worker:
    experience:
      balance: balanced
      notes: "Met mum at S41 7PT"
"""

# (kind, identifier as written) in file order; an identifier met twice is found twice.
PLANTED = [
    ("phone number", "07700 900123"),
    ("date of birth", "12/03/1990"),
    ("postcode", "DE4 3AG"),
    ("phone number", "01773 123456"),
    ("postcode", "S40 1LP"),
    ("e-mail address", "mum.smith@gmail.com"),
    ("phone number", "07911 123 456"),
    ("postcode", "NG10 1AA"),
    ("date of birth", "3rd of March 2015"),
    ("NHS number", "943 476 5919"),
    ("case reference", "CP-123456"),
    ("date of birth", "12th Mar '15"),
    ("phone number", "07700 900456"),
    ("e-mail address", "j.doe@example.co.uk"),
    ("phone number", "0115-9876543"),
    ("postcode", "SK17 6EH"),
    ("NHS number", "494 821"),
    ("date of birth", "2015/03/12"),
    ("date of birth", "March 12, 2015"),
    ("postcode", "DE7 5QQ"),
    ("NHS number", "718 190 9371"),
    ("postcode", "DE21 4BX"),
    ("postcode", "DE21 4BX"),
    ("NHS number", "486-091-3906"),
    ("phone number", "020 7946 0018"),
    ("postcode", "S41 7PT"),
]
EXEMPT = ["DE5 3AB", "01773 531000", "team@example.org", "priya@example.org"]


def places(text: str) -> list[tuple[str, int, int]]:
    """Where each planted identifier is: (kind, line, column), in file order."""
    lines = text.split("\n")
    out, line, col = [], 1, 0
    for kind, value in PLANTED:
        while (at := lines[line - 1].find(value, col)) < 0:
            line, col = line + 1, 0
        out.append((kind, line, at + 1))
        col = at + 1
    return out


@pytest.fixture
def pledge(tmp_path: Path) -> Path:
    path = tmp_path / "team.pledge.yaml"
    path.write_text(PLEDGE, encoding="utf-8")
    return path


def test_each_finding_is_on_its_own_line_and_column(pledge: Path, catalogue: Catalogue) -> None:
    report = check_file(
        pledge, catalogue, privacy="warn", case_patterns=compile_patterns([r"CP-\d{6}"])
    )
    assert report.status != "invalid", report.problems
    found = [p for p in report.problems if is_personal_data(p)]
    got = sorted(
        (re.sub(r"^this looks like an? ([^:]+):.*", r"\1", p.message), p.line or 0, p.column or 0)
        for p in found
    )
    assert got == sorted(places(PLEDGE))
    for value in EXEMPT:
        assert not [p for p in found if value[-2:] in p.message and value[:2] in p.message]


def test_points_and_extension_keys_are_labelled(pledge: Path, catalogue: Catalogue) -> None:
    report = check_file(pledge, catalogue, privacy="warn")
    found = {p.loc: p.point for p in report.problems if is_personal_data(p)}
    label = catalogue.default().point_label("child-focus")
    assert found[("points", "child-focus", "x-mine", 0)] == label
    assert found[("points", "child-focus", "discussion")] == label
    assert found[("extra_points", 0, "x-todo")] == "extra point 1"
    assert found[("x-note",)] is None
    assert found[("owner", "members", 0)] is None


def test_each_finding_is_its_own_row(run, pledge: Path) -> None:  # type: ignore[no-untyped-def]
    expected = {line for _, line, _ in places(PLEDGE) if line > 21}  # those within points
    for privacy in ("warn", "strict"):
        out = run("check", pledge, "--privacy", privacy, "--case-pattern", r"CP-\d{6}").out
        rows = {int(m) for m in re.findall(r"· line (\d+),", out)}
        assert expected <= rows, (privacy, sorted(expected - rows))
    data = json.loads(run("check", pledge, "--format", "json", "--case-pattern", r"CP-\d{6}").out)
    lines = [
        p["line"]
        for p in data["files"][0]["problems"]
        if p["message"].startswith("this looks like")
    ]
    assert sorted(lines) == sorted(line for _, line, _ in places(PLEDGE))


def test_an_nhs_number_and_an_e_mail_address(pledge: Path, catalogue: Catalogue) -> None:
    messages = [p.message for p in check_file(pledge, catalogue, privacy="warn").problems]
    assert any(m.startswith("this looks like an NHS number") for m in messages)
    assert any(m.startswith("this looks like an e-mail address") for m in messages)
    assert any(m.startswith("this looks like a postcode") for m in messages)
    assert not [m for m in messages if "a NHS" in m or "a e-mail" in m]


def test_render_redact_masks_the_owner_fields(run, pledge: Path) -> None:  # type: ignore[no-untyped-def]
    shown = ["12/03/1990", "DE4 3AG", "01773 123456", "S40 1LP", "07911 123 456"]
    plain = run("render", pledge, "--format", "md").out
    assert [s for s in shown if s in plain] == shown  # the fields are in the report
    for fmt in ("md", "html"):
        out = run("render", pledge, "--format", fmt, "--redact").out
        assert not [s for s in shown if s in out], fmt
        assert "Amber Valley" in out and "Priya Shah" in out  # the rest of the field stays
        assert "01773 531000" in out  # the contact fields are the owner's own
