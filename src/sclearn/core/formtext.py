"""The Word form's own words, shared by the writer (exports) and the reader (imports).

What the form says around a person's text (the labels that split one cell into two fields, the
evidence source after each piece of evidence), and how text is put into a Word document that
cannot hold every character a YAML file can.
"""

from __future__ import annotations

import re
import unicodedata

# The form's fourth column holds two lists; these labels split it.
HELPS_LABEL = "Will help:"
HINDERS_LABEL = "May hinder:"
# Fields the seed's form has no column for, written as labelled paragraphs.
DISCUSSION_LABEL = "Discussion:"
SKIP_LABEL = "Not relevant to my/our practice because:"
PROGRESS_LABEL = "Progress:"
NOTES_LABEL = "Notes:"
# The custom document property where an exported form keeps the pledge as it was exported.
PROPERTY = "sclearn-exported-pledge"

# XML 1.0 holds tab, newline and these ranges only; Word would refuse a file holding others.
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def form_text(text: str) -> str:
    """Text as the form shows it: line endings as new lines, characters that a Word file
    cannot hold as U+FFFD (so nothing vanishes), no space at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("\ufffd", text).strip()


def typed_text(text: str) -> str:
    """Text read from a cell as the person meant it: non-breaking and other odd spaces as
    spaces, soft hyphens gone, no space at either end of a line."""
    text = text.replace("\u00ad", "")
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def evidence_line(text: str, source: str) -> str:
    """One piece of stage 2 evidence as the form writes it: ``text (MR)``."""
    return f"{form_text(text)} ({source})"


def norm(text: str) -> str:
    """Text for matching headings and titles: case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def letter(index: int) -> str:
    """The label of the N-th extra row: a, b, ... z, aa, ab ..."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("a") + rem) + out
    return out
