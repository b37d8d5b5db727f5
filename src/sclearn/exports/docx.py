"""The Appendix 1 form as a Word document, filled in with what a pledge already holds.

Laid out like the seed: the form's title, the name and details lines, then one table whose
header row ("Stage 1 | Stage 2" over the six columns, worded as the framework's prompts) repeats
on every page, an area row before each area's points, one row per point (with its key points in
smaller text), then the rows for the owner's own findings. A4 landscape, rows never split
across pages, Word's heading styles, language en-GB. `sclearn import` reads it back.

python-docx has no API for a repeated header row, an unsplittable row, the language of the
styles or cell shading; those few properties are set as raw XML here, and nothing else is.
"""

from __future__ import annotations

import base64
import io
import json
import zlib
from collections.abc import Iterable
from typing import cast

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from sclearn.core import formtext as ft
from sclearn.core.framework import Bullet, BulletGroup, Framework, Point
from sclearn.core.pledge import Pledge, PointEntry

# Column widths in millimetres: 267 mm between 15 mm margins of a landscape A4 page.
WIDTHS = (55, 42, 42, 42, 42, 44)
SMALL = Pt(8)


def _set_language(doc: Document) -> None:
    """en-GB for spelling and for screen readers' voices (python-docx has no API for it)."""
    doc.core_properties.language = "en-GB"
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "en-GB")


def _row_flags(row: _Row, header: bool = False) -> None:
    """A row that never breaks across pages; a header row repeats at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _first(cell: _Cell) -> Paragraph:
    """The cell's empty first paragraph (every cell has one), to write into."""
    return cast(Paragraph, cell.paragraphs[0])


def _add_row(table: Table) -> _Row:
    return cast(_Row, table.add_row())  # type: ignore[no-untyped-call]


def _para(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    small: bool = False,
    style: str | None = None,
    fresh: bool = False,
) -> Paragraph:
    """Write one paragraph into a cell: the first one if still empty, else a new one."""
    first = _first(cell)
    p = (
        first
        if fresh or (not first.text and len(cell.paragraphs) == 1 and not first.runs)
        else cell.add_paragraph()
    )
    if style:
        p.style = style
    p.paragraph_format.space_after = Pt(3)
    run = p.add_run(text)  # a "\n" becomes a line break, a "\t" a tab
    run.bold = bold or None
    if small:
        run.font.size = SMALL
    return p


def _items(cell: _Cell, items: Iterable[str]) -> None:
    for item in items:
        text = ft.form_text(item)
        if text:
            _para(cell, text)


def _bullets(cell: _Cell, bullets: Iterable[Bullet], level: int = 1) -> None:
    style = "List Bullet" if level == 1 else "List Bullet 2"
    for b in bullets:
        if isinstance(b, BulletGroup):
            _para(cell, ft.form_text(b.text), small=True, style=style)
            _bullets(cell, b.items, level + 1)
        else:
            _para(cell, ft.form_text(b), small=True, style=style)


def _fill_columns(cells: tuple[_Cell, ...], entry: PointEntry | None) -> None:
    """Columns 2 to 6 of a point's row: one paragraph per item."""
    if entry is None:
        return
    _items(cells[1], entry.good_practice)
    _items(cells[2], entry.pledges)
    if entry.helps or entry.hinders:
        _para(cells[3], ft.HELPS_LABEL, bold=True)
        _items(cells[3], entry.helps)
        _para(cells[3], ft.HINDERS_LABEL, bold=True)
        _items(cells[3], entry.hinders)
    _items(cells[4], entry.signs_of_success)
    review = entry.review
    if review is not None:
        for ev in review.evidence:
            _para(cells[5], ft.evidence_line(ev.text, ev.source))
        if review.progress:
            _para(cells[5], f"{ft.PROGRESS_LABEL} {review.progress}")
        if review.notes.strip():
            _para(cells[5], f"{ft.NOTES_LABEL} {ft.form_text(review.notes)}")


def _first_column_extras(cell: _Cell, entry: PointEntry | None) -> None:
    if entry is None:
        return
    if entry.discussion.strip():
        _para(cell, f"{ft.DISCUSSION_LABEL} {ft.form_text(entry.discussion)}")
    if entry.skip.strip():
        _para(cell, f"{ft.SKIP_LABEL} {ft.form_text(entry.skip)}")


def _point_row(table: Table, point: Point, entry: PointEntry | None) -> None:
    row = _add_row(table)
    _row_flags(row)
    cells = row.cells
    _para(cells[0], f"{point.number}) {point.title}", bold=True)
    _bullets(cells[0], point.key_points)
    _first_column_extras(cells[0], entry)
    _fill_columns(cells, entry)


def _merged_row(table: Table, text: str, *, fill: str | None = None) -> _Row:
    row = _add_row(table)
    _row_flags(row)
    cell = row.cells[0].merge(row.cells[-1])
    _para(cell, text, bold=True).paragraph_format.keep_with_next = True  # with its first point
    if fill:
        _shade(cell, fill)
    return row


def _header(table: Table, fw: Framework) -> None:
    p = fw.prompts
    stage = table.rows[0]
    _row_flags(stage, header=True)
    _para(stage.cells[0].merge(stage.cells[4]), "Stage 1", bold=True)
    _para(stage.cells[5], "Stage 2", bold=True)
    columns = _add_row(table)
    _row_flags(columns, header=True)
    helps = p.helps_and_hinders or f"{p.helps} / {p.hinders}"
    for cell, text in zip(
        columns.cells,
        (p.finding, p.good_practice, p.pledges, helps, p.signs_of_success, p.review),
        strict=True,
    ):
        _para(cell, text, bold=True, small=True)
        _shade(cell, "D9E2F3")


def _extra_rows(table: Table, fw: Framework, pledge: Pledge | None) -> None:
    p = fw.prompts
    row = _add_row(table)
    _row_flags(row)
    _para(row.cells[0], p.extra_points or "Other relevant findings", bold=True)
    if p.extra_points_guidance:
        _para(row.cells[1].merge(row.cells[5]), p.extra_points_guidance)
    extras = pledge.extra_points if pledge else []
    for i in range(max(5, len(extras))):
        extra = extras[i] if i < len(extras) else None
        row = _add_row(table)
        _row_flags(row)
        cells = row.cells
        finding = ft.form_text(extra.finding) if extra else ""
        _para(cells[0], f"{ft.letter(i)}) {finding}".rstrip())
        _first_column_extras(cells[0], extra)
        _fill_columns(cells, extra)


def _widths(table: Table) -> None:
    """Each column's width, and each merged cell's the sum of its columns', so that Word and
    LibreOffice keep the six-column grid (LibreOffice splits columns of unequal widths)."""
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        start = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(WIDTHS[start : start + span]))
            start += span


def _keep_exported(doc: Document, pledge: Pledge) -> None:
    """Keep the pledge as exported in a custom document property (Word and LibreOffice keep
    those when they save), so an import can tell what the form changed from what changed in
    the file since. python-docx has no API for custom properties: the part is added here."""
    data = json.dumps(pledge.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    packed = base64.b64encode(zlib.compress(data.encode("utf-8"), 9)).decode("ascii")
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{_CUSTOM}"'
        f' xmlns:vt="{_VT}"><property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2"'
        f' name="{ft.PROPERTY}"><vt:lpwstr>{packed}</vt:lpwstr></property></Properties>'
    )
    part = Part(
        PackURI("/docProps/custom.xml"),
        CT.OFC_CUSTOM_PROPERTIES,
        xml.encode("utf-8"),
        doc.part.package,
    )
    doc.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)


_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def form_document(fw: Framework, pledge: Pledge | None) -> bytes:
    """The Appendix 1 form as the bytes of a .docx file, filled in from ``pledge``."""
    doc = new_document()
    _set_language(doc)
    doc.styles["Normal"].font.size = Pt(9)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    title = fw.form.title if fw.form else fw.title
    doc.core_properties.title = title
    doc.core_properties.subject = fw.ref
    doc.add_heading(title, level=1)
    owner = pledge.owner if pledge else None
    name_label = (fw.form.name if fw.form else "") or "Name (individual / team):"
    details_label = (
        fw.form.details if fw.form else ""
    ) or "Details (full address of work base / tel. / e-mail):"
    for label, value in (
        (name_label, owner.name if owner else ""),
        (
            details_label,
            " / ".join(v for v in (owner.work_base, owner.phone, owner.email) if v)
            if owner
            else "",
        ),
    ):
        para = doc.add_paragraph()
        para.add_run(label).bold = True
        if value:
            para.add_run(" " + ft.form_text(value))
    table = doc.add_table(rows=1, cols=6)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _header(table, fw)
    for area in fw.areas:
        _merged_row(table, f"{area.number}) {area.title}", fill="F2F2F2")
        for point in area.points:
            _point_row(table, point, pledge.entry(point.id) if pledge else None)
    _extra_rows(table, fw, pledge)
    _widths(table)
    if pledge is not None:
        _keep_exported(doc, pledge)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
