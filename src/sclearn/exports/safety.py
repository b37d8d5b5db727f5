"""Making user text safe to hand to other programs."""

from __future__ import annotations

import re

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# as a cell break that can smuggle one in).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Neutralise a would-be formula by prefixing an apostrophe, as Excel itself does."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


# Characters XML 1.0 forbids, which a workbook (XML inside) cannot hold: C0 controls other
# than tab, line feed and carriage return, lone surrogates, and U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Word pastes a vertical tab for Shift+Enter (a manual line break); form feed is a page break.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def xml_text(text: str) -> str:
    """Text a workbook can hold: characters XML forbids replaced (a vertical tab or form feed
    by a line break, any other by U+FFFD)."""
    if _NOT_XML.search(text):
        return _NOT_XML.sub("\ufffd", text.translate(_LINE_BREAKS))
    return text
