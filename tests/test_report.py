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


@pytest.mark.slow
def test_ctrl_c_while_workers_write_reports_leaves_whole_reports_and_no_traceback(
    tmp_path: Path,
) -> None:
    """Workers write the reports themselves: a Ctrl-C at any moment stops the run at once,
    with no traceback, no temporary file left behind, and every report there complete."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "pledges"
    generate(folder, 400, seed=6, as_of=AS_OF)
    out = tmp_path / "out"

    def start() -> subprocess.Popen[str]:
        args = ["render", str(folder), "-o", f"{out}/", "--force", "--as-of", AS_OF.isoformat()]
        return subprocess.Popen(
            [sys.executable, "-m", "sclearn", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's job is
        )

    begun = time.monotonic()
    whole = start()
    whole.communicate(timeout=300)
    assert whole.returncode in (0, 2)  # some corpus files are broken on purpose
    took = time.monotonic() - begun
    stopped = 0
    for fraction in (0.3, 0.5, 0.7, 0.9):
        proc = start()
        time.sleep(fraction * took)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError(f"still running 15 s after Ctrl-C at {fraction}") from None
        assert "Traceback" not in err and "Process" not in err, err
        stopped += proc.returncode == 130
        names = [p.name for p in out.iterdir()]
        assert not [n for n in names if not n.endswith(".html")], names
        for report in out.iterdir():
            assert report.read_text(encoding="utf-8").rstrip().endswith("</html>"), report
    assert stopped >= 2


def test_a_report_that_cannot_be_written_stops_the_run_at_its_own_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Written in a worker, a report whose place is taken (here by a folder, made after the
    first check) is said plainly, once, with the reports before it written."""
    import sclearn.services.render as service
    from sclearn.services.workers import POOL_THRESHOLD

    folder = tmp_path / "pledges"
    generate(folder, POOL_THRESHOLD + 20, seed=8, as_of=AS_OF)
    files = sorted(folder.rglob("*.pledge.yaml"))
    out = tmp_path / "out"
    blocked = files[POOL_THRESHOLD // 2]
    original = service.guard_output

    def guard_then_block(target: Path, *args: object, **kwargs: object) -> None:
        original(target, *args, **kwargs)  # type: ignore[arg-type]
        if target.name == blocked.name.replace(".pledge.yaml", ".html"):
            target.mkdir(parents=True, exist_ok=True)  # someone makes a folder there

    service.guard_output = guard_then_block  # type: ignore[assignment]
    try:
        r = run("render", folder, "-o", f"{out}/", "--as-of", AS_OF.isoformat())
    finally:
        service.guard_output = original
    assert r.code != 0
    assert "Traceback" not in r.err and r.err.count("is a folder") == 1, r.err
    written = r.err.split("is a folder")[0].count("wrote ")
    assert written >= POOL_THRESHOLD // 2 * 0.8  # the reports before it (some are broken)
