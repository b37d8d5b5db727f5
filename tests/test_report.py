"""The board's summary report at county scale: capped, themed, and no item table it never reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sclearn.files.frameworks import Catalogue
from sclearn.services.collate import Options, collate
from sclearn.services.collate.outputs import report_data

from .corpus import generate

AS_OF = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county")
    generate(folder, 150, seed=11)
    return folder


def test_md_and_html_write_no_item_table_and_show_a_capped_selection(
    county: Path, catalogue: Catalogue
) -> None:
    options = Options(as_of=AS_OF, table=False, use_cache=False, workers=1)
    result = collate([county], catalogue, options)
    try:
        assert result.chosen is not None and result.chosen.rows is None
        data = report_data(result)
    finally:
        result.close()
    points = [p for a in data["areas"] for p in a["points"]]
    figures = result.chosen.figures.points
    for p in points:
        assert len(p["catalogue"]) <= 5
        assert len(p["catalogue"]) + p["catalogue_more"] == figures[p["id"]]["good_practice"]
        if len(p["catalogue"]) == 5:
            assert len({x["who"].rsplit(", ", 1)[-1] for x in p["catalogue"]}) >= 4  # districts
    assert all(len(t["examples"]) <= 3 and t["count"] >= 1 for t in data["helps"])
    assert sum(p["catalogue_more"] for p in points) > 0


def test_the_item_table_is_still_written_for_spreadsheets(
    county: Path, catalogue: Catalogue
) -> None:
    result = collate([county], catalogue, Options(as_of=AS_OF, use_cache=False, workers=1))
    try:
        assert result.chosen is not None and result.chosen.rows is not None
        assert sum(1 for _ in result.rows()) > 1000
    finally:
        result.close()


def test_the_report_shows_contents_and_points_to_the_workbook(run, county: Path) -> None:  # type: ignore[no-untyped-def]
    html = run("collate", county, "--format", "html", "--as-of", AS_OF.isoformat()).out
    assert 'aria-labelledby="contents-title"' in html and 'href="#catalogue"' in html
    assert "more in the workbook" in html
    md = run("collate", county, "--as-of", AS_OF.isoformat()).out
    assert "## Contents" in md and "(#good-practice-examples)" in md
    assert "more in the workbook" in md


def test_render_folder_builds_one_template_environment_with_identical_output(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from sclearn.exports import render as exports_render
    from sclearn.services import render as service

    from .conftest import EXAMPLES

    folder = tmp_path / "pledges"
    shutil.copytree(EXAMPLES, folder)
    files = sorted(folder.glob("*.pledge.yaml"))
    assert len(files) >= 3
    singly = {
        f.name: run("render", f, "--format", "html", "--as-of", AS_OF.isoformat()).out
        for f in files
    }
    built: list[object] = []

    def counted(*args: object, **kw: object) -> object:
        env = exports_render.environment(*args, **kw)  # type: ignore[arg-type]
        built.append(env)
        return env

    monkeypatch.setattr(service, "environment", counted)
    out = tmp_path / "out"
    run("render", folder, "--format", "html", "-o", f"{out}/", "--as-of", AS_OF.isoformat())
    assert len(built) == 1
    for f in files:
        written = (out / f.name.replace(".pledge.yaml", ".html")).read_text(encoding="utf-8")
        assert written == singly[f.name], f.name


def test_render_folder_in_workers_writes_what_one_process_writes(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Above the pool's threshold the reports are made in worker processes: same bytes, same
    messages, in the same order, as when every report is made here."""
    import functools

    from sclearn.services import render as service
    from sclearn.services.workers import POOL_THRESHOLD

    folder = tmp_path / "pledges"
    generate(folder, POOL_THRESHOLD + 20, seed=4, as_of=AS_OF)
    args = ["render", folder, "--format", "html", "--as-of", AS_OF.isoformat()]
    pooled = run(*args, "-o", f"{tmp_path / 'pooled'}/")
    monkeypatch.setattr(service, "each", functools.partial(service.each, workers=1))
    alone = run(*args, "-o", f"{tmp_path / 'alone'}/")
    assert pooled.code == alone.code
    assert pooled.err.replace("pooled", "alone") == alone.err
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "pooled").iterdir())
    assert len(names) > POOL_THRESHOLD // 2
    for name in names:
        assert (tmp_path / "pooled" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()
