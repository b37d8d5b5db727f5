"""The training team's summary at county scale, as a person sees it (issue 17).

Collations of 300 and 3,000 generated pledges, made once per session, checked like the
examples in `test_browser.py`, plus the size budget and the table of contents. A file of its
own so that, with the suite spread over the cores, it runs beside the other browser tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_browser import (
    WCAG_TAGS,
    _markdownlint,
    axe_source,
    html_reports,
    needs_chromium,
    needs_java,
    nu_check,
)
from .test_browser import browser as browser  # the fixture, shared

pytestmark = pytest.mark.browser

# The training team's summary at county scale: generated once per session, checked like the
# examples, plus the size budget and the table of contents (issue 17).
SIZE_BUDGET = 2_000_000  # bytes of HTML at 10,000 pledges; smaller collations stay well below


def _county(tmp_path_factory: pytest.TempPathFactory, count: int) -> Path:
    from sclearn.cli import main

    from .corpus import generate

    root = tmp_path_factory.mktemp(f"county{count}")
    generate(root / "pledges", count, seed=17)
    out = root / "out"
    out.mkdir()
    for fmt in ("html", "md"):
        for extra in ([], ["--group-by", "district"]):
            name = f"collation{'-district' if extra else ''}.{fmt}"
            argv = ["collate", str(root / "pledges"), "--format", fmt, "-o", str(out / name)]
            assert main([*argv, *extra, "--as-of", "2026-11-26", "--quiet"]) == 2  # broken files
    return out


@pytest.fixture(scope="session")
def county300(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _county(tmp_path_factory, 300)


@pytest.fixture(scope="session")
def county3000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _county(tmp_path_factory, 3000)


def _check_county(folder: Path, browser: Any, budget: int) -> None:
    script = axe_source()
    for report in html_reports(folder):
        assert report.stat().st_size <= budget, (report.name, report.stat().st_size)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri())
        links = page.eval_on_selector_all("nav.contents a", "els => els.map(e => e.hash)")
        assert len(links) >= 8 and "#catalogue" in links, links
        for target in links:  # every entry of the contents leads somewhere
            assert page.locator(target).count() == 1, target
        page.add_script_tag(content=script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert [v["id"] for v in result["violations"]] == [], report.name
        shot = folder / f"{report.stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
        # Every chart has a text alternative and its table, and no series is told by colour alone.
        assert page.locator("figure svg[role=img] desc").count() == page.locator("figure").count()
        assert page.locator("svg rect.s1").count() > 0
        page.close()
    for md in sorted(folder.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        assert "## Contents" in text and "more in the workbook" in text
        assert len(text.encode("utf-8")) <= budget
    _markdownlint(sorted(folder.glob("*.md")))


@needs_chromium
@pytest.mark.slow
def test_a_collation_of_300_pledges_is_small_navigable_and_accessible(
    county300: Path, browser: Any
) -> None:
    _check_county(county300, browser, SIZE_BUDGET // 10)


@needs_chromium
@pytest.mark.slow
def test_a_collation_of_3000_pledges_is_small_navigable_and_accessible(
    county3000: Path, browser: Any
) -> None:
    _check_county(county3000, browser, SIZE_BUDGET // 3)


@pytest.mark.slow
@needs_java
def test_nu_html_checker_finds_no_errors_in_county_collations(county300: Path) -> None:
    nu_check(county300)
