"""`sclearn collate`: exact figures against a generated corpus, every format, anonymity, cache."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from sclearn.files.frameworks import Catalogue
from sclearn.services.collate import Options, collate
from sclearn.services.collate.cache import FORMAT

from .conftest import DATA, EXAMPLES
from .corpus import INJECTIONS, Truth, generate

AS_OF = "2026-11-26"
OTHER = DATA / "other-framework.yaml"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SCLEARN_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, generate(folder, 400, seed=11)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    folder = tmp_path_factory.mktemp("small")
    return folder, generate(folder, 120, seed=5)


def check_figures(data: dict, truth: Truth) -> None:  # type: ignore[type-arg]
    assert data["framework"] == {"id": "derbyshire-scr", "version": "1.0"}
    assert data["files"] == truth.files
    assert data["valid"] == truth.valid
    assert len(data["invalid"]) == truth.invalid
    assert data["other_frameworks"] == {"northshire-learning@2.1": truth.other}
    assert data["collated"] == truth.valid - truth.other
    assert data["owners"] == {
        "individual": truth.owners["individual"],
        "team": truth.owners["team"],
    }
    assert data["stage1_complete"] == truth.stage1
    assert data["stage2_complete"] == truth.stage2
    # The corpus writes reviews only with dates.reviewed, so none is in progress.
    assert data["reviews"] == {
        "completed": truth.completed,
        "overdue": truth.overdue,
        "due_within_30_days": truth.due30,
        "in_progress": 0,
    }
    assert data["points"] == truth.points
    assert data["evidence_sources"] == dict(truth.sources)


def test_every_figure_is_exactly_right(run, corpus) -> None:  # type: ignore[no-untyped-def]
    folder, truth = corpus
    assert truth.invalid and truth.other and truth.stage2 and truth.overdue and truth.due30
    r = run("collate", folder, "--format", "json", "--as-of", AS_OF, "--framework", OTHER)
    assert r.code == 2  # some files could not be read, and the exit status says so
    check_figures(json.loads(r.out), truth)
    for bad in json.loads(r.out)["invalid"]:
        assert bad["path"].endswith(".pledge.yaml") and bad["error"]


def test_pool_and_cache_give_the_same_figures(corpus, own_cache: Path) -> None:  # type: ignore[no-untyped-def]
    folder, truth = corpus
    catalogue = Catalogue.load([OTHER])
    options = Options(as_of=dt.date(2026, 11, 26), detail=False, workers=2)
    cold = collate([folder], catalogue, options)
    check_figures(cold.as_json(), truth)
    assert (own_cache / f"collate-v{FORMAT}.sqlite").exists()
    warm = collate([folder], catalogue, options)
    assert warm.as_json() == cold.as_json()
    single = collate(
        [folder],
        catalogue,
        Options(as_of=dt.date(2026, 11, 26), detail=False, workers=1, use_cache=False),
    )
    assert single.as_json() == cold.as_json()


def test_the_cache_notices_a_changed_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "p"
    shutil.copytree(EXAMPLES, folder)
    first = json.loads(run("collate", folder, "--format", "json", "--as-of", AS_OF).out)
    target = folder / "jo-hartley.pledge.yaml"
    text = target.read_text(encoding="utf-8").replace("kind: individual", "kind: team", 1)
    target.write_text(text, encoding="utf-8")
    # Same size; make the modification time look old, as a racy edit might.
    os.utime(target, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    second = json.loads(run("collate", folder, "--format", "json", "--as-of", AS_OF).out)
    assert first["owners"] == {"individual": 3, "team": 2}
    assert second["owners"] == {"individual": 2, "team": 3}


def test_examples_figures(run) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run("collate", EXAMPLES, "--format", "json", "--as-of", AS_OF).out)
    assert (data["files"], data["valid"], data["stage1_complete"], data["stage2_complete"]) == (
        5,
        5,
        4,
        2,
    )
    # High Peak's review has answers but is not finished: in progress, and overdue.
    assert data["reviews"] == {
        "completed": 2,
        "overdue": 1,
        "due_within_30_days": 0,
        "in_progress": 1,
    }
    assert data["overdue_reviews"][0]["owner"] == "High Peak Early Help Network"
    assert data["self_report_only"] == ["reviewing-change"]


def test_csv_is_tidy_and_neutralised(run, corpus) -> None:  # type: ignore[no-untyped-def]
    folder, truth = corpus
    r = run("collate", folder, "--format", "csv", "--as-of", AS_OF, "--framework", OTHER)
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert set(rows[0]) >= {
        "owner",
        "kind",
        "agency",
        "district",
        "team",
        "point_number",
        "point_id",
        "field",
        "text",
        "evidence_source",
        "progress",
        "review_due",
    }
    pledges = [x for x in rows if x["field"] == "pledges" and x["point_id"] in truth.points]
    assert len(pledges) == sum(p["pledges"] for p in truth.points.values())
    evidence = [x for x in rows if x["field"] == "evidence"]
    assert len(evidence) == sum(truth.sources.values())
    cells = [v for x in rows for v in x.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=SUM(A1:A9)") for c in cells)


@pytest.mark.slow
def test_xlsx_reads_back(run, small_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    folder, truth = small_corpus
    out = tmp_path / "summary.xlsx"
    r = run(
        "collate", folder, "--format", "xlsx", "-o", out, "--as-of", AS_OF, "--framework", OTHER
    )
    assert r.code == 2 and out.exists()
    wb = load_workbook(out)
    assert wb.sheetnames == ["Items", "Summary", "Points", "Overdue", "Unreadable files"]
    items = list(wb["Items"].iter_rows(values_only=True))
    assert items[0][0] == "Owner"
    assert sum(1 for x in items[1:] if x[8] == "Evidence") == sum(truth.sources.values())
    for row in wb["Items"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value  # text that looks like one is text
    assert any(str(x[9]).startswith("=SUM(A1:A9)") for x in items)  # as typed, no apostrophe
    summary = dict(wb["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Stage 2 complete"] == truth.stage2
    assert len(list(wb["Overdue"].iter_rows())) == truth.overdue + 1
    assert len(list(wb["Unreadable files"].iter_rows())) == truth.invalid + 1
    assert run("collate", folder, "--format", "xlsx").code == 2  # no -o: a clear error


@pytest.mark.slow
def test_anonymise_leaves_no_name_email_or_phone(
    run,
    small_corpus,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    folder, truth = small_corpus
    outputs = []
    for fmt in ("json", "md", "html", "csv"):
        r = run(
            "collate",
            folder,
            "--format",
            fmt,
            "--anonymise",
            "--as-of",
            AS_OF,
            "--framework",
            OTHER,
            "--group-by",
            "agency",
        )
        outputs.append(r.out)
    xlsx = tmp_path / "a.xlsx"
    run(
        "collate",
        folder,
        "--format",
        "xlsx",
        "-o",
        xlsx,
        "--anonymise",
        "--as-of",
        AS_OF,
        "--framework",
        OTHER,
    )
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    outputs.append(
        " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    )
    everything = "\n".join(outputs)
    for secret in [*truth.names, *truth.emails, *truth.phones, "Manager 1"]:
        assert secret not in everything, secret
    assert "Derbyshire County Council" in everything and "Amber Valley" in everything


def test_summary_reports(run, corpus) -> None:  # type: ignore[no-untyped-def]
    folder, truth = corpus
    md = run("collate", folder, "--as-of", AS_OF, "--framework", OTHER).out
    assert f"| Stage 2 complete | {truth.stage2} |" in md
    assert "## Good practice: examples" in md and "## Files that could not be read" in md
    html = run(
        "collate",
        folder,
        "--format",
        "html",
        "--as-of",
        AS_OF,
        "--framework",
        OTHER,
        "--group-by",
        "district",
    ).out
    assert html.count("<h1>") == 1 and '<svg role="img"' in html and "<desc" in html
    assert "By district" in html and "Amber Valley" in html
    assert "<script" not in html


def test_group_by_figures_add_up(run, corpus) -> None:  # type: ignore[no-untyped-def]
    folder, truth = corpus
    data = json.loads(
        run(
            "collate",
            folder,
            "--format",
            "json",
            "--group-by",
            "kind",
            "--as-of",
            AS_OF,
            "--framework",
            OTHER,
        ).out
    )
    assert set(data["groups"]) == {"individual", "team"}
    assert sum(g["valid"] for g in data["groups"].values()) == data["collated"]
    assert sum(g["stage2_complete"] for g in data["groups"].values()) == truth.stage2
    assert run("collate", folder, "--group-by", "colour").code == 2


def test_choose_another_edition(run, corpus) -> None:  # type: ignore[no-untyped-def]
    folder, truth = corpus
    r = run(
        "collate",
        folder,
        "--format",
        "json",
        "--as-of",
        AS_OF,
        "--framework",
        "northshire-learning@2.1",
    )
    # Without the board's file that edition is unknown: a clear error, not an empty report.
    assert r.code == 2 and "northshire-learning@2.1 is not known" in r.err
    os.environ["SCLEARN_FRAMEWORK_PATH"] = str(OTHER)
    try:
        data = json.loads(
            run(
                "collate",
                folder,
                "--format",
                "json",
                "--as-of",
                AS_OF,
                "--framework",
                "northshire-learning@2.1",
            ).out
        )
    finally:
        del os.environ["SCLEARN_FRAMEWORK_PATH"]
    assert data["framework"] == {"id": "northshire-learning", "version": "2.1"}
    assert data["collated"] == truth.other
    assert data["other_frameworks"]["derbyshire-scr@1.0"] == truth.valid - truth.other


def test_symlink_loops_and_unreadable_folders(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "tree"
    shutil.copytree(EXAMPLES, folder / "a")
    (folder / "a" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "x.pledge.yaml").mkdir()
    (folder / "dangling.pledge.yaml").symlink_to(tmp_path / "missing")
    r = run("collate", folder, "--format", "json", "--as-of", AS_OF)
    data = json.loads(r.out)
    assert data["valid"] == 5 and r.code == 2
    errors = {Path(x["path"]).name: x["error"] for x in data["invalid"]}
    assert "is a folder" in errors["x.pledge.yaml"]
    assert "does not exist" in errors["dangling.pledge.yaml"]


def test_injection_strings_in_examples_corpus() -> None:
    assert all(s[:1] in "=+-@" for s in INJECTIONS)


def test_verdicts_on_signs_of_success_are_counted_per_point(run) -> None:  # type: ignore[no-untyped-def]
    # Every verdict written in the examples, counted from the files themselves.
    from sclearn.files.pledges import load_pledge

    catalogue = Catalogue.load()
    want: dict[str, dict[str, int]] = {}
    for path in sorted(EXAMPLES.glob("*.pledge.yaml")):
        for pid, entry in load_pledge(path, catalogue).pledge.points.items():
            for verdict in entry.review.signs if entry and entry.review else []:
                counts = want.setdefault(pid, {})
                counts[verdict] = counts.get(verdict, 0) + 1
    assert sum(sum(c.values()) for c in want.values()) >= 10  # the examples do judge signs
    data = json.loads(run("collate", EXAMPLES, "--format", "json", "--as-of", AS_OF).out)
    got = {pid: {k: n for k, n in p["signs"].items() if n} for pid, p in data["points"].items()}
    assert {pid: c for pid, c in got.items() if c} == want
    rows = list(csv.DictReader(io.StringIO(run("collate", EXAMPLES, "--format", "csv").out)))
    in_csv: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["verdict"] and not row["point_id"].startswith("extra"):
            counts = in_csv.setdefault(row["point_id"], {})
            counts[row["verdict"]] = counts.get(row["verdict"], 0) + 1
    assert in_csv == want
