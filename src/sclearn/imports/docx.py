"""Reading a Word document's text as a person typed it: paragraphs, tables and cells.

python-docx reads the package; the text of a paragraph is gathered here from the XML because
python-docx leaves out what Word's content controls (``w:sdt``) hold, and a cell or a whole row
can sit inside one. Deleted text of tracked changes, field codes and a content control's
placeholder ("Click or tap here to enter text") are not what anyone typed, and are left out.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document as open_document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.parser import parse_xml

from sclearn.core import formtext as ft
from sclearn.core.errors import InvalidFileError, Problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx or an old .doc
_MAX_BYTES = 50_000_000


@dataclass
class Cell:
    """One cell: where it starts on the table's grid, how many columns it spans, its text."""

    column: int  # 0-based grid column
    span: int
    paragraphs: list[str]


@dataclass
class WordTable:
    """A table as rows of cells, with the 1-based row numbers a person counts."""

    rows: list[list[Cell]]


@dataclass
class WordDocument:
    """What sclearn reads from a .docx: body paragraphs before each table, tables, and the
    pledge as exported (when sclearn made the form)."""

    path: Path
    paragraphs: list[str] = field(default_factory=list)
    tables: list[WordTable] = field(default_factory=list)
    framework_ref: str = ""
    exported: dict[str, Any] | None = None


def _skipped(el: Any) -> bool:
    """Parts of a paragraph that hold no typed text."""
    tag = el.tag
    if tag in (W + "del", W + "instrText", W + "delText", _MC_FALLBACK, W + "txbxContent"):
        return True
    if tag == W + "sdt":
        pr = el.find(W + "sdtPr")
        return pr is not None and pr.find(W + "showingPlcHdr") is not None
    return False


def _text(el: Any, out: list[str]) -> None:
    for child in el:
        if not isinstance(child.tag, str) or _skipped(child):
            continue
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):  # a manual line break stays a new line in the item
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag != W + "p":  # a nested paragraph (a text box) is read as its own paragraph
            _text(child, out)


def paragraph_text(p: Any) -> str:
    """The text a person typed in one paragraph, line breaks as new lines."""
    out: list[str] = []
    _text(p, out)
    return ft.typed_text("".join(out))


def _paragraphs(el: Any) -> list[str]:
    out = []
    for p in el.iter(W + "p"):
        if any(_skipped(a) for a in p.iterancestors()):
            continue
        text = paragraph_text(p)
        if text:
            out.append(text)
    return out


def _unwrap(el: Any, tag: str) -> Iterator[Any]:
    """The children of ``el`` named ``tag``, looking through content controls around them."""
    for child in el:
        if child.tag == W + tag:
            yield child
        elif child.tag == W + "sdt" and not _skipped(child):
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _unwrap(content, tag)


def _int(el: Any, path: str, default: int) -> int:
    found = el.find(path)
    try:
        return int(found.get(W + "val")) if found is not None else default
    except (TypeError, ValueError):
        return default


def _table(tbl: Any) -> WordTable:
    rows = []
    for tr in _unwrap(tbl, "tr"):
        column = _int(tr, f"{W}trPr/{W}gridBefore", 0)
        cells = []
        for tc in _unwrap(tr, "tc"):
            span = max(1, _int(tc, f"{W}tcPr/{W}gridSpan", 1))
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
            cells.append(Cell(column, span, [] if continued else _paragraphs(tc)))
            column += span
        rows.append(cells)
    return WordTable(rows)


def _exported(custom: bytes) -> dict[str, Any] | None:
    """The pledge as exported, from the custom property sclearn wrote (None if absent or
    damaged: the form is then read as any hand-made form is)."""
    try:
        root = parse_xml(custom)
        for prop in root:
            if prop.get("name") == ft.PROPERTY and len(prop):
                packed = prop[0].text or ""
                data = json.loads(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))
                return data if isinstance(data, dict) else None
    except (binascii.Error, zlib.error, ValueError, SyntaxError):  # lxml: a SyntaxError
        return None
    return None


def _refuse(path: Path, message: str, hint: str) -> InvalidFileError:
    return InvalidFileError([Problem(message, path, hint=hint)])


def read_word(path: Path) -> WordDocument:
    """Read a .docx; anything that is not one is a located, plain error."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise _refuse(
                path,
                "is too large to be a filled-in form (over 50 MB)",
                "save the form without pictures, then import it again",
            )
        raw = path.read_bytes()
    except IsADirectoryError:
        raise _refuse(path, "is a folder, not a Word file", "give the .docx file") from None
    except FileNotFoundError:
        raise _refuse(path, "no such file", "check the name and the folder") from None
    except OSError as exc:
        raise _refuse(path, f"cannot be read ({exc.strerror})", "check the file") from None
    if raw.startswith(_OLE):
        raise _refuse(
            path,
            "is password-protected, or an old Word (.doc) file",
            "open it in Word, remove the password (File > Info > Protect Document) "
            "and save it as a Word Document (.docx)",
        )
    try:
        doc = open_document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _refuse(
            path,
            "is not a Word (.docx) file, or it is damaged",
            "open it in Word or LibreOffice and save it as a Word Document (.docx)",
        ) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged file
        raise _refuse(
            path,
            f"is a damaged Word file ({type(exc).__name__})",
            "open it in Word or LibreOffice, let it repair the file, and save it again",
        ) from exc
    out = WordDocument(path, framework_ref=doc.core_properties.subject or "")
    body = doc.element.body
    for el in _unwrap(body, "p"):
        text = paragraph_text(el)
        if text:
            out.paragraphs.append(text)
    for tbl in _unwrap(body, "tbl"):
        out.tables.append(_table(tbl))
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/custom.xml":
            out.exported = _exported(part.blob)
    return out
