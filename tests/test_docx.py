"""The Appendix 1 form in Word: `sclearn export`, edited as a person would, `sclearn import`."""

from __future__ import annotations

import copy
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Row

from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge
from tests.conftest import EXAMPLES, Result

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.pledge.yaml"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="WORD FORM TESTS SKIPPED: no "
    "LibreOffice (apt-get install libreoffice-writer, as "
    ".ci/run does)",
)
Run = Callable[..., Result]


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """What the form carries: the rows with something in them, and the owner's name."""
    points = {
        k: v
        for k, v in data["points"].items()
        if v and any(v[f] for f in v if f != "review") | bool(v.get("review"))
    }
    return {"name": data["owner"]["name"], "points": points, "extras": data["extra_points"]}


def _export(run: Run, pledge: Path, out: Path) -> Path:
    result = run("export", pledge, "-o", out)
    assert result.code == 0, result.text
    return out


def _copy(example: Path, tmp_path: Path) -> Path:
    target = tmp_path / example.name
    shutil.copyfile(example, target)
    return target


def _table(d: Any) -> Table:
    return d.tables[0]


def _row(table: Table, start: str) -> _Row:
    return next(r for r in table.rows if r.cells[0].text.startswith(start))


def _soffice(path: Path, fmt: str, out: Path) -> Path:
    assert SOFFICE is not None
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{out}/profile",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / (path.stem + "." + fmt)


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_export_then_import_into_the_same_pledge_changes_nothing(
    example: Path, run: Run, tmp_path: Path
) -> None:
    pledge = _copy(example, tmp_path)
    before = pledge.read_bytes()
    form = _export(run, pledge, tmp_path / "form.docx")
    result = run("import", form, "--into", pledge)
    assert result.code == 0, result.text
    assert "nothing new" in result.err
    assert pledge.read_bytes() == before


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_import_to_a_folder_gives_back_what_was_exported(
    example: Path, run: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    form = _export(run, example, tmp_path / "form.docx")
    result = run("import", form, "-o", tmp_path / "new")
    assert result.code == 0, result.text
    written = tmp_path / "new" / example.name
    again = load_pledge(written, catalogue).pledge.model_dump()
    original = load_pledge(example, catalogue).pledge.model_dump()
    assert _content(again) == _content(original)
    assert again["dates"] == original["dates"]  # kept in the form's record of the export


def test_the_form_is_laid_out_like_appendix_1(run: Run, tmp_path: Path) -> None:
    form = _export(run, EXAMPLES / "jo-hartley.pledge.yaml", tmp_path / "form.docx")
    d = docx.Document(str(form))
    section = d.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    assert d.paragraphs[0].style.name == "Heading 1"
    assert "Name (individual / team): Jo Hartley" in d.paragraphs[1].text
    assert d.paragraphs[2].text.startswith("Details (full address of work base")
    table = _table(d)
    assert [c.text for c in table.rows[0].cells] == ["Stage 1"] * 5 + ["Stage 2"]
    assert table.rows[1].cells[1].text == "Examples of current good practice"
    for header in table.rows[:2]:
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert table.rows[2].cells[0].text.startswith("1) Children")  # an area row
    four = _row(table, "4) Assessment")
    assert (
        "ensuring that assessments are updated" in four.cells[0].text.lower()
        or len(four.cells[0].paragraphs) > 1
    )  # the key points, in smaller text
    assert [_row(table, f"{x})") for x in "abcde"]
    styles = d.styles.element.xml
    assert 'w:val="en-GB"' in styles


# --- a person's edits -------------------------------------------------------------------------


def _sdt(text: str) -> Any:
    """A block content control holding one paragraph, as Word's developer tab makes them."""
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    p = OxmlElement("w:p")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    p.append(r)
    content.append(p)
    sdt.append(content)
    return sdt


def _edit(form: Path) -> None:
    """Type into the form as a person would in Word."""
    d = docx.Document(str(form))
    table = _table(d)
    four = _row(table, "4) Assessment")
    pledges = four.cells[2]
    pledges.add_paragraph("re-assess\u00a0within 10 days of any new concern", "List Bullet")
    broken = pledges.add_paragraph("ask the family: ")
    broken.add_run().add_break()
    broken.add_run("who else lives here?")
    pledges._tc.append(_sdt("use the chronology tool # every time"))
    five = _row(table, "5) Decision")
    first = five.cells[1].paragraphs[0]
    if len(five.cells[1].paragraphs) > 1:  # delete the first piece of good practice
        first._p.getparent().remove(first._p)
    else:  # (Word always leaves a cell one paragraph)
        for r in first.runs:
            r._r.getparent().remove(r._r)
    new = table.add_row()
    new.cells[0].text = "f) Working with interpreters"
    new.cells[2].text = "book interpreters before visits"
    new.cells[5].text = "Interpreter booked for every visit (manager report)"
    d.save(str(form))


def _check_edits(pledge: Path, catalogue: Catalogue, before: dict[str, Any]) -> None:
    after = load_pledge(pledge, catalogue).pledge
    assessment = after.points["assessment"]
    assert assessment is not None
    old = before["points"]["assessment"]["pledges"] if before["points"]["assessment"] else []
    assert assessment.pledges == [
        *old,
        "re-assess within 10 days of any new concern",
        "ask the family:\nwho else lives here?",
        "use the chronology tool # every time",
    ]
    decision = after.points["decision-making-and-planning"]
    old_gp = (before["points"]["decision-making-and-planning"] or {}).get("good_practice", [])
    assert decision is not None and decision.good_practice == old_gp[1:]
    extra = after.extra_points[-1]
    assert extra.finding == "Working with interpreters"
    assert extra.pledges == ["book interpreters before visits"]
    assert extra.review is not None and extra.review.evidence[0].source == "MR"


def test_edits_in_the_form_reach_the_pledge_and_nothing_else_changes(
    run: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    pledge = _copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path)
    original = pledge.read_text(encoding="utf-8")
    before = load_pledge(pledge, catalogue).pledge.model_dump()
    form = _export(run, pledge, tmp_path / "form.docx")
    _edit(form)
    dry = run("import", form, "--into", pledge, "--dry-run")
    assert dry.code == 0, dry.text
    assert '+      - "use the chronology tool # every time"' in dry.out
    assert pledge.read_text(encoding="utf-8") == original  # a dry run writes nothing
    result = run("import", form, "--into", pledge)
    assert result.code == 0, result.text
    _check_edits(pledge, catalogue, before)
    # Every line of the old file that the edits did not reach is still there, in order.
    new_lines = pledge.read_text(encoding="utf-8").splitlines()
    removed = [ln for ln in original.splitlines() if ln not in new_lines]
    assert removed == [
        "      - Plans name who does what by when",  # the deleted good practice
        "extra_points: []",
    ]  # now a list of one


@pytest.mark.slow
@needs_soffice
def test_a_form_saved_again_by_libreoffice_imports_the_same(
    run: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    pledge = _copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path)
    before = load_pledge(pledge, catalogue).pledge.model_dump()
    form = _export(run, pledge, tmp_path / "form.docx")
    _edit(form)
    resaved = _soffice(form, "docx", tmp_path / "lo")
    pdf = _soffice(resaved, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    result = run("import", resaved, "--into", pledge)
    assert result.code == 0, result.text
    _check_edits(pledge, catalogue, before)


# --- clashes ----------------------------------------------------------------------------------


def test_an_item_changed_in_both_the_form_and_the_file_is_refused(run: Run, tmp_path: Path) -> None:
    pledge = _copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path)
    form = _export(run, pledge, tmp_path / "form.docx")
    _edit(form)
    text = pledge.read_text(encoding="utf-8")
    marker = "    pledges:\n"
    at = text.index(marker, text.index("  assessment:")) + len(marker)
    pledge.write_text(
        text[:at] + '      - "a pledge typed into the file meanwhile"\n' + text[at:],
        encoding="utf-8",
    )
    changed = pledge.read_bytes()
    result = run("import", form, "--into", pledge)
    assert result.code == 3, result.text
    assert "point 4 (Assessment), pledges" in result.err
    assert pledge.read_bytes() == changed


def test_changes_to_different_items_in_form_and_file_both_stay(
    run: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    pledge = _copy(EXAMPLES / "erewash-health-visiting-team.pledge.yaml", tmp_path)
    form = _export(run, pledge, tmp_path / "form.docx")
    d = docx.Document(str(form))
    _row(_table(d), "4) Assessment").cells[4].add_paragraph("plans name the child's words")
    d.save(str(form))
    text = pledge.read_text(encoding="utf-8")
    pledge.write_text(
        text.replace('  name: "Anne Clarke"', '  name: "Anne Clarke-Jones"'), encoding="utf-8"
    )
    result = run("import", form, "--into", pledge)
    assert result.code == 0, result.text
    after = load_pledge(pledge, catalogue).pledge
    assert after.line_manager.name == "Anne Clarke-Jones"
    entry = after.points["assessment"]
    assert entry is not None and entry.signs_of_success[-1] == "plans name the child's words"


def test_a_new_sign_on_a_judged_point_is_refused_plainly(run: Run, tmp_path: Path) -> None:
    """The review gave one verdict per sign: a sign added on the form would leave one without
    its verdict, which the file cannot hold. Nothing is written, and the user is told why."""
    pledge = _copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path)
    before = pledge.read_bytes()
    form = _export(run, pledge, tmp_path / "form.docx")
    d = docx.Document(str(form))
    _row(_table(d), "4) Assessment").cells[4].add_paragraph("plans name the child's words")
    d.save(str(form))
    result = run("import", form, "--into", pledge)
    assert result.code == 2, result.text
    assert "1 verdict given for 2 signs of success" in result.err
    assert "report this" not in result.err
    assert pledge.read_bytes() == before


# --- bad input --------------------------------------------------------------------------------


def test_bad_forms_get_plain_messages_and_never_stop_a_batch(run: Run, tmp_path: Path) -> None:
    good = _export(run, EXAMPLES / "jo-hartley.pledge.yaml", tmp_path / "good.docx")
    text = tmp_path / "notes.docx"
    text.write_text("not a Word file", encoding="utf-8")
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    plain = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_table(rows=2, cols=2).cell(0, 0).text = "Shopping list"
    d.save(str(plain))
    result = run("import", text, locked, plain, good, "-o", tmp_path / "out")
    assert result.code == 2
    assert "notes.docx: must fix: is not a Word (.docx) file" in result.err
    assert "locked.docx: must fix: is password-protected" in result.err
    assert "plain.docx: must fix: holds no table with the form's header row" in result.err
    assert (tmp_path / "out" / "jo-hartley.pledge.yaml").exists()
    assert "Traceback" not in result.text


def test_rows_that_match_no_point_and_unknown_sources_are_located(run: Run, tmp_path: Path) -> None:
    form = _export(run, EXAMPLES / "jo-hartley.pledge.yaml", tmp_path / "form.docx")
    d = docx.Document(str(form))
    table = _table(d)
    row = _row(table, "4) Assessment")
    copied = copy.deepcopy(row._tr)
    row._tr.addnext(copied)
    bad = table.rows[row._index + 1]
    for p in bad.cells[0].paragraphs[1:]:
        p._p.getparent().remove(p._p)
    bad.cells[0].paragraphs[0].runs[0].text = "Assesment"
    row.cells[5].add_paragraph("Spoke to the family (XR)")
    d.save(str(form))
    result = run("import", form, "-o", tmp_path / "out")
    assert result.code == 2
    number = bad._index + 1
    assert (
        f"row {number}, column 1 (findings): 'Assesment': no such point; did you mean "
        "4) Assessment?" in result.err
    )
    assert "column 6 (stage 2 review): 'XR' is not an evidence source" in result.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_characters_a_word_file_cannot_hold_are_shown_and_change_nothing(
    run: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    pledge = _copy(EXAMPLES / "jo-hartley.pledge.yaml", tmp_path)
    text = pledge.read_text(encoding="utf-8")
    line = "- I see children alone at every statutory visit and record their words verbatim"
    assert line in text
    pledge.write_text(
        text.replace(line, '- "I see children alone\\a at every statutory visit"'), encoding="utf-8"
    )
    before = pledge.read_bytes()
    form = _export(run, pledge, tmp_path / "form.docx")
    cell = _row(_table(docx.Document(str(form))), "1) Keeping").cells[1].text
    assert "I see children alone\ufffd at every" in cell  # visible, not silently gone
    result = run("import", form, "--into", pledge)
    assert result.code == 0, result.text
    assert pledge.read_bytes() == before


def test_a_content_controls_placeholder_is_not_taken_for_typed_text(
    run: Run, tmp_path: Path, catalogue: Catalogue
) -> None:
    form = _export(run, EXAMPLES / "jo-hartley.pledge.yaml", tmp_path / "form.docx")
    d = docx.Document(str(form))
    cell = _row(_table(d), "4) Assessment").cells[4]
    placeholder = _sdt("Click or tap here to enter text.")
    placeholder.find(qn("w:sdtPr")).append(OxmlElement("w:showingPlcHdr"))
    cell._tc.append(placeholder)
    cell._tc.append(_sdt("plans say what will change"))
    d.save(str(form))
    assert run("import", form, "-o", tmp_path / "out").code == 0
    entry = load_pledge(tmp_path / "out" / "jo-hartley.pledge.yaml", catalogue).pledge.points[
        "assessment"
    ]
    assert entry is not None and entry.signs_of_success[-1] == "plans say what will change"
    assert "Click or tap" not in str(entry.signs_of_success)


def test_any_framework_has_its_own_form(
    run: Run, tmp_path: Path, other_fw: Any, new_file: Callable[..., Path], catalogue: Catalogue
) -> None:
    from tests.conftest import DATA

    pledge = new_file(framework=other_fw)
    form = tmp_path / "form.docx"
    framework = DATA / "other-framework.yaml"
    assert run("export", pledge, "-o", form, "--framework", framework).code == 0
    d = docx.Document(str(form))
    header = [c.text for c in _table(d).rows[1].cells]
    assert header[0] == "Learning point" and header[2] == "We will..."
    point = other_fw.points[0]
    row = _row(_table(d), f"{point.number}) {point.title}")
    row.cells[2].text = "ask every child what they think"
    d.save(str(form))
    result = run("import", form, "--into", pledge, "--framework", framework)
    assert result.code == 0, result.text
    entry = load_pledge(pledge, Catalogue.load([framework])).pledge.points[point.id]
    assert entry is not None and entry.pledges == ["ask every child what they think"]


def test_new_with_docx_writes_the_form_beside_the_pledge(run: Run, tmp_path: Path) -> None:
    result = run(
        "new",
        "--name",
        "Sam Patel",
        "--kind",
        "individual",
        "--email",
        "sam@example.org",
        "--no-input",
        "--docx",
        "-o",
        tmp_path,
    )
    assert result.code == 0, result.text
    pledge, form = tmp_path / "sam-patel.pledge.yaml", tmp_path / "sam-patel.docx"
    assert form.exists() and "sclearn import" in result.out
    before = pledge.read_bytes()
    assert run("import", form, "--into", pledge).code == 0
    assert pledge.read_bytes() == before
