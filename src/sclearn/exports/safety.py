"""Making user text safe to hand to other programs."""

from __future__ import annotations

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# as a cell break that can smuggle one in).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Neutralise a would-be formula by prefixing an apostrophe, as Excel itself does."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
