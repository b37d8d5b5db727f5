"""`sclearn render`: content, escaping, templates, output names (browser checks: test_browser)."""

from __future__ import annotations

import html
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sclearn.exports.render import md_escape, render
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge

from .conftest import EXAMPLES
from .test_check import edit

HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "{{ 7 * 7 }}",
    "{% for x in y %}loop{% endfor %}",
    "*bold* _it_ `code` | pipe",
    "# not a heading",
    '=HYPERLINK("http://x")',
]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.pledge.yaml")))
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_every_pledge_and_evidence_item_appears(
    example: str, fmt: str, catalogue: Catalogue
) -> None:
    lp = load_pledge(EXAMPLES / example, catalogue)
    text = render(lp, fmt)
    shown = html.unescape(text) if fmt == "html" else text.replace("\\", "")
    entries = [*lp.pledge.points.values(), *lp.pledge.extra_points]
    for entry in entries:
        if entry is None:
            continue
        for item in [
            *entry.pledges,
            *entry.good_practice,
            *entry.signs_of_success,
            *entry.helps,
            *entry.hinders,
        ]:
            assert " ".join(item.split()) in shown
        if entry.review:
            for ev in entry.review.evidence:
                assert ev.text in shown
                label = lp.framework.evidence_sources[ev.source]
                assert f"{ev.source} — {label}" in shown
    assert lp.pledge.owner.name in shown


def test_layout_follows_the_form(catalogue: Catalogue) -> None:
    lp = load_pledge(EXAMPLES / "jo-hartley.pledge.yaml", catalogue)
    page = render(lp, "html")
    assert page.count("<h1>") == 1 and '<html lang="en-GB">' in page
    assert page.count("<caption") == 3 and 'scope="col"' in page and 'scope="row"' in page
    assert "Stage 2 complete · reviewed 12 November 2026" in page
    assert "Positive change" in page and "MR — manager report" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    text = render(
        load_pledge(EXAMPLES / "erewash-health-visiting-team.pledge.yaml", catalogue), "md"
    )
    assert "Status: **Stage 1 complete · review due 5 April 2027**" in text


def test_skipped_point_shows_its_reason(
    new_file: Callable[..., Path], catalogue: Catalogue
) -> None:
    path = edit(
        new_file(),
        lambda d: d["points"]["intervention"].__setitem__(
            "skip", "I do not plan interventions in my role"
        ),
    )
    lp = load_pledge(path, catalogue)
    assert "No pledge made for this point:</span> I do not plan interventions" in render(lp, "html")
    assert "**No pledge made for this point**: I do not plan interventions" in render(lp, "md")


def test_user_text_is_escaped_and_never_evaluated(
    new_file: Callable[..., Path], catalogue: Catalogue
) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["owner"]["name"] = HOSTILE[0]
        d["points"]["assessment"]["pledges"] = HOSTILE
        d["points"]["assessment"]["review"] = {
            "evidence": [{"text": HOSTILE[1], "source": "SR"}],
            "notes": HOSTILE[2],
        }

    lp = load_pledge(edit(new_file(), change), catalogue)
    page = render(lp, "html")
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "49" not in page and "{{ 7 * 7 }}" in page
    assert "{% for x in y %}loop{% endfor %}" in page
    md = render(lp, "md")
    assert "<script>" not in md and "\\<script\\>" in md
    assert "49" not in md and "\\{\\{ 7 \\* 7 \\}\\}" in md
    assert "\\*bold\\* \\_it\\_ \\`code\\` \\| pipe" in md and "\\# not a heading" in md


def test_md_escape_keeps_text_on_one_line() -> None:
    assert md_escape("- a\nb") == "\\- a b"
    assert md_escape("1. first") == "1\\. first" or md_escape("1. first") == "\\1. first"


def test_board_templates_fall_back_to_built_in(tmp_path: Path, catalogue: Catalogue) -> None:
    lp = load_pledge(EXAMPLES / "jo-hartley.pledge.yaml", catalogue)
    (tmp_path / "pledge.md.j2").write_text(
        "Board report for {{ report.owner.name }}\n", encoding="utf-8"
    )
    assert render(lp, "md", templates=tmp_path) == "Board report for Jo Hartley\n"
    assert "<h1>Jo Hartley" in render(lp, "html", templates=tmp_path)  # not overridden
    (tmp_path / "pledge.md.j2").write_text("{{ report.nonsense }}", encoding="utf-8")
    from sclearn.core.errors import UsageError

    with pytest.raises(UsageError, match="template could not be used"):
        render(lp, "md", templates=tmp_path)


def test_render_command_outputs(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("render", EXAMPLES / "jo-hartley.pledge.yaml", "--format", "md")
    assert r.code == 0 and r.out.startswith("# Jo Hartley")
    out = tmp_path / "reports"
    r = run("render", EXAMPLES, "-o", f"{out}/")
    assert r.code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name.replace(".pledge.yaml", ".html") for p in EXAMPLES.glob("*.pledge.yaml")
    )
    single = tmp_path / "one.html"
    assert run("render", EXAMPLES / "jo-hartley.pledge.yaml", "-o", single).code == 0
    assert single.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_goes_on_past_a_broken_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path)
    (tmp_path / "bad.pledge.yaml").write_text("sclearn: 1\n", encoding="utf-8")
    r = run("render", tmp_path, "-o", tmp_path / "out")
    assert r.code == 2 and "bad.pledge.yaml" in r.err
    assert (tmp_path / "out" / "jo-hartley.html").exists()


def test_one_report_into_a_new_folder(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "reports"
    assert run("render", EXAMPLES / "jo-hartley.pledge.yaml", "-o", folder).code == 0
    assert (folder / "jo-hartley.html").is_file()


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_quick_attribute_lookup_renders_what_jinja_renders(
    fmt: str, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``x.name`` on the shaped dicts is looked up as an item at once: every report, of the
    examples, the hostile files and a generated folder, is the same as with Jinja's own."""
    import jinja2

    from sclearn.exports import render as module
    from sclearn.files.pledges import load_pledge as load

    from .corpus import generate

    quick = module.environment()
    assert type(quick) is not jinja2.Environment
    monkeypatch.setattr(module, "_Environment", jinja2.Environment)
    plain = module.environment()
    paths = sorted(EXAMPLES.glob("*.pledge.yaml"))
    paths += sorted((Path(__file__).parent / "hostile").rglob("*.pledge.yaml"))
    generate(tmp_path, 40, seed=12)
    paths += sorted(tmp_path.rglob("*.pledge.yaml"))
    shown = 0
    for path in paths:
        try:
            lp = load(path, catalogue)
        except Exception:  # a hostile file that is refused: no report
            continue
        for anonymise in (False, True):
            a = render(lp, fmt, env=quick, anonymise=anonymise)
            assert a == render(lp, fmt, env=plain, anonymise=anonymise), path
            shown += 1
    assert shown > 60
