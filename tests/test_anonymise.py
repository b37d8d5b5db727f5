"""Anonymised collations: searched, whole, for every planted name, path and small group."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sclearn.core.names import NAME_REMOVED, name_remover
from sclearn.services.collate.anonymise import Places, other_group, unquote

from .anon_corpus import (
    BIG_AGENCIES,
    BIG_TEAMS,
    SMALL_AGENCY,
    SMALL_DISTRICT,
    SMALL_DISTRICT_OWNERS,
    SMALL_TEAM,
    Planted,
    generate,
)
from .conftest import Result

AS_OF = "2026-11-26"
FORMATS = ("md", "html", "json", "csv", "xlsx", "parquet")
Run = Callable[..., Result]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted]:
    folder = tmp_path_factory.mktemp("planted")
    return folder, generate(folder)


def output(run: Run, folder: Path, tmp_path: Path, fmt: str, *args: str) -> str:
    """One collation's whole output as plain text: markup escapes undone, every cell of
    every sheet of a workbook."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        target = tmp_path / "out.xlsx"
        r = run(
            "collate", folder, "--format", "xlsx", "-o", target, "--as-of", AS_OF, "--force", *args
        )
        assert r.code == 2, r.text  # two files cannot be read
        wb = load_workbook(target)
        return "\n".join(
            str(c)
            for ws in wb
            for row in ws.iter_rows(values_only=True)
            for c in row
            if c is not None
        )
    if fmt == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
        target = tmp_path / "out.parquet"
        r = run(
            "collate", folder, "--format", fmt, "-o", target, "--as-of", AS_OF, "--force", *args
        )
        assert r.code == 2, r.text
        table = pq.read_table(target)
        cells = [str(c) for col in table.columns for c in col.to_pylist() if c is not None]
        return "\n".join([" ".join(table.column_names), *cells])
    r = run("collate", folder, "--format", fmt, "--as-of", AS_OF, *args)
    assert r.code == 2, r.text
    if fmt == "html":
        return html.unescape(r.out)
    if fmt == "md":
        return r.out.replace("\\", "")
    return r.out


def leaks(text: str, planted: Planted) -> list[str]:
    folded = text.casefold()
    return [x for x in planted.identifiers() if x.casefold() in folded]


def test_the_planted_identifiers_do_reach_outputs_that_are_not_anonymised(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path
) -> None:
    # Without this, a search that finds nothing would prove nothing.
    folder, p = planted
    everything = "\n".join(
        output(run, folder, tmp_path, fmt, "--group-by", "team") for fmt in FORMATS
    )
    folded = everything.casefold()
    for x in [
        *p.owners,
        *p.team_owners,
        *p.cue_names,
        *p.paths,
        *p.small,
        *(m.split()[0] for m in p.members[::2]),
        *(m.split()[-1] for m in p.managers),
    ]:
        assert x.casefold() in folded, x


@pytest.mark.slow
@pytest.mark.parametrize("group_by", [None, "agency", "district", "team", "kind"])
def test_no_anonymised_output_holds_a_planted_identifier(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path, group_by: str | None
) -> None:
    folder, p = planted
    args = ["--anonymise", *(["--group-by", group_by] if group_by else [])]
    for fmt in FORMATS:
        text = output(run, folder, tmp_path, fmt, *args)
        assert not leaks(text, p), (fmt, leaks(text, p))
        assert ".pledge.yaml" not in text and ".yaml" not in text, fmt
        if fmt not in ("csv", "parquet"):  # the item table names no one, not even by pseudonym
            assert "Individual " in text, fmt  # the pseudonyms stand in
        if fmt != "json":  # the texts are there, with the names taken out
            assert NAME_REMOVED in text and "helped me set this up" in text, fmt
    # Figures and big groups are still shown: the rule removes only what singles out.
    md = output(run, folder, tmp_path, "md", *args)
    assert "Derbyshire County Council" in md and "Family Support" in md


def test_the_rule_is_stated_in_every_output_but_the_item_table(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path
) -> None:
    folder, _ = planted
    for fmt in ("md", "html", "json", "xlsx"):
        text = output(run, folder, tmp_path, fmt, "--anonymise", "--min-group", "7")
        assert "Groups of fewer than 7 pledges are merged" in text, fmt
        assert "generalised from team to agency to district" in text, fmt
    data = json.loads(output(run, folder, tmp_path, "json", "--anonymise"))
    assert data["min_group"] == 5 and data["anonymised"] and data["redacted"]


def groups(run: Run, folder: Path, tmp_path: Path, by: str, k: int) -> dict[str, Any]:
    data = json.loads(
        output(
            run, folder, tmp_path, "json", "--anonymise", "--group-by", by, "--min-group", str(k)
        )
    )
    assert (
        sum(g["collated"] if "collated" in g else g["valid"] for g in data["groups"].values())
        == data["collated"]
    )
    return dict(data["groups"])


@pytest.mark.parametrize("by", ["agency", "district", "team", "kind"])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 8, 25])
def test_groups_under_k_are_merged_and_every_shown_group_has_k(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path, by: str, k: int
) -> None:
    folder, p = planted
    shown = groups(run, folder, tmp_path, by, k)
    for name, g in shown.items():
        assert g["valid"] >= k, (name, g["valid"])
    truth = p.groups[by]
    merged = sum(n for n in truth.values() if n < k)
    if k == 1:
        assert {name: g["valid"] for name, g in shown.items()} == dict(truth)
    elif merged:
        assert other_group(k) in shown
        assert shown[other_group(k)]["valid"] >= merged
    for value, n in truth.items():
        if n < k:
            assert value not in shown
    # What is not merged is exactly as counted.
    for name, g in shown.items():
        if name != other_group(k):
            assert g["valid"] == truth[name]


ATTRIBUTION = re.compile(r"^- .* \((?:an individual|a team)((?:, [^,()]+)*)\)$", re.M)


def item_places(run: Run, folder: Path, tmp_path: Path, k: int) -> set[str]:
    """Every place the good practice catalogue attributes a text to."""
    text = output(run, folder, tmp_path, "md", "--anonymise", "--min-group", str(k))
    found = {part for m in ATTRIBUTION.finditer(text) for part in m[1].split(", ")}
    return found or {""}


def test_the_anonymised_item_table_gives_texts_by_point_only_where_k_owners_wrote(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path
) -> None:
    folder, _ = planted
    raw = list(csv.DictReader(io.StringIO(output(run, folder, tmp_path, "csv"))))
    writers: dict[tuple[str, str], set[str]] = {}
    for r in raw:
        if r["text"].strip():
            writers.setdefault((r["point_id"], r["field"]), set()).add(r["owner"])
    for k in (3, 5):
        text = output(run, folder, tmp_path, "csv", "--anonymise", "--min-group", str(k))
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows
        kept = {"point_number", "point_id", "point_title", "field", "text"}
        assert all(not v for r in rows for c, v in r.items() if c not in kept)
        shown = {(r["point_id"], r["field"]) for r in rows}
        assert shown == {key for key, who in writers.items() if len(who) >= k}
        order = [
            (int(r["point_number"] or 10**6), r["point_id"], r["field"], r["text"]) for r in rows
        ]
        assert order == sorted(order)  # in the order of the words, not of the files


def test_attributions_are_generalised_until_k_owners_share_them(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path
) -> None:
    folder, _ = planted
    at_k = item_places(run, folder, tmp_path, SMALL_DISTRICT_OWNERS)
    assert SMALL_DISTRICT in at_k and SMALL_AGENCY not in at_k and SMALL_TEAM not in at_k
    above = item_places(run, folder, tmp_path, SMALL_DISTRICT_OWNERS + 1)
    assert SMALL_DISTRICT not in above and {*BIG_AGENCIES, *BIG_TEAMS} <= above
    everyone = item_places(run, folder, tmp_path, 1)
    assert {SMALL_DISTRICT, SMALL_AGENCY} <= everyone
    nobody = item_places(run, folder, tmp_path, 1000)
    assert nobody == {""}
    md = output(run, folder, tmp_path, "md", "--anonymise", "--min-group", "1000")
    assert "(an individual)" in md and "(a team)" in md


def test_redact_alone_removes_names_from_the_text_but_keeps_the_owners(
    run: Run, planted: tuple[Path, Planted], tmp_path: Path
) -> None:
    folder, p = planted
    text = output(run, folder, tmp_path, "csv", "--redact")
    assert not [x for x in p.cue_names if x in text]
    owners = [r["owner"] for r in csv.DictReader(io.StringIO(text))]
    assert set(owners) == {*p.owners[:-2], *p.team_owners}
    assert SMALL_TEAM in text  # not anonymised: places stay


def test_min_group_needs_anonymise(run: Run, planted: tuple[Path, Planted]) -> None:
    folder, _ = planted
    r = run("collate", folder, "--min-group", "3")
    assert r.code == 2 and "--min-group" in r.err and "--anonymise" in r.err
    assert run("collate", folder, "--anonymise", "--min-group", "0").code == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Priya helped me set this up", "[name removed] helped me set this up"),
        (
            "Mum Sarah said; baby Amelia Rose was well",
            "Mum [name removed] said; baby [name removed] [name removed] was well",
        ),
        ("Kayla's dad came, and Mr. Brown", "[name removed]'s dad came, and Mr. [name removed]"),
        ("mum (Tasha) agreed", "mum ([name removed]) agreed"),
        ("Shah's plan with Mrs Shah", "[name removed]'s plan with Mrs [name removed]"),
        ("The Early Help Team met", "The [name removed] met"),
        ("early help is what we offer", "early help is what we offer"),
        (
            "The child was seen at a Child Protection Conference",
            "The child was seen at a Child Protection Conference",
        ),
        ("I will help; Will helped", "I will help; [name removed] helped"),
        ("Mary-Jane, Jane and O'Neil", "[name removed], [name removed] and [name removed]"),
    ],
)
def test_name_remover(text: str, expected: str) -> None:
    remove = name_remover(["Priya Shah", "Mary-Jane O'Neil", "Will Ode"], ["Early Help Team"])
    assert remove(text) == expected


def test_places_are_generalised_team_agency_district() -> None:
    places = Places()
    for place in [("T", "A", "D")] * 2 + [("U", "A", "D")] * 2 + [("V", "B", "D")]:
        places.add(place)
    assert places.generalise(("T", "A", "D"), 2) == ("T", "A", "D")
    assert places.generalise(("T", "A", "D"), 3) == ("", "A", "D")
    assert places.generalise(("V", "B", "D"), 3) == ("", "", "D")
    assert places.generalise(("V", "B", "D"), 6) == ("", "", "")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_anonymise_says_nothing_of_whose_pledge_it_is(
    run: Run, planted: tuple[Path, Planted], fmt: str
) -> None:
    folder, p = planted
    files = sorted(f for f in folder.rglob("*.pledge.yaml") if "broken" not in f.name)
    team = next(f for f in files if f.stem.removesuffix(".pledge").endswith("-hub"))
    for path in (files[0], team):
        plain = run("render", path, "--format", fmt, "--as-of", AS_OF)
        r = run("render", path, "--format", fmt, "--as-of", AS_OF, "--anonymise")
        assert plain.code == 0 and r.code == 0, r.text
        text = html.unescape(r.out) if fmt == "html" else r.out.replace("\\", "")
        shown = [x for x in p.identifiers() if x.casefold() in plain.out.casefold()]
        assert len(shown) > 5  # the plain report names them: the search can find them
        assert not leaks(text, p), leaks(text, p)
        for gone in (*BIG_AGENCIES, *BIG_TEAMS, "Safeguarding lead", "example.org"):
            assert gone not in text
        assert NAME_REMOVED in text and "helped me set this up" in text
        assert ("Team" if path == team else "Individual") in text


def test_an_anonymised_error_keeps_keys_but_not_what_the_file_holds() -> None:
    assert (
        unquote("line 3: owner.kind: 'Priya Shah' is not allowed here")
        == "line 3: owner.kind: '…' is not allowed here"
    )
    assert (
        unquote("unknown key 'nmae' — did you mean 'name'?")
        == "unknown key 'nmae' — did you mean 'name'?"
    )


def test_redact_masks_personal_data_in_the_owner_and_place_fields(run: Run, tmp_path: Path) -> None:
    phone = "07700 900123"
    (tmp_path / "a.pledge.yaml").write_text(
        'sclearn: 1\nframework: {id: derbyshire-scr, version: "1.0"}\n'
        f'owner: {{kind: individual, name: "Sam Ode {phone}", role: "Lead {phone}",\n'
        f'  agency: "Agency {phone}", team: "Team {phone}", district: "Dale {phone}"}}\n'
        "dates: {started: 2026-01-01}\n"
        'points:\n  child-focus:\n    good_practice: ["Visits"]\n    pledges: ["Visit"]\n',
        encoding="utf-8",
    )
    for fmt in ("md", "csv"):
        plain = run("collate", tmp_path, "--format", fmt, "--as-of", AS_OF, "--group-by", "team")
        assert phone in plain.out
        r = run(
            "collate", tmp_path, "--format", fmt, "--as-of", AS_OF, "--redact", "--group-by", "team"
        )
        assert r.code == 0, r.text
        assert phone not in r.out and "removed: phone number" in r.out
        assert "Sam Ode" in r.out  # the owner is still named: --redact is not --anonymise


def test_a_role_in_brackets_after_a_name_is_not_taken_for_a_name() -> None:
    # members are written "Kamal Hussain (family support worker)" (see the examples)
    remove = name_remover(["Kamal Hussain (family support worker)", "Mo Ahmed [Early Help]"])
    assert remove("Team Around the Family with Early Help") == (
        "Team Around the Family with Early Help"
    )
    assert remove("Kamal and Mr Hussain came") == "[name removed] and Mr [name removed] came"
