"""The output formats sclearn writes, listed once: name, file suffix, and text or bytes.

Commands check ``--format`` against the formats of their product, name output files with the
format's suffix, and open files in text or binary mode from here; a new format (a Word form,
say) is one entry below and one writer, not a change in every command.
"""

from __future__ import annotations

from dataclasses import dataclass

from sclearn.core.errors import UsageError


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # as typed after --format
    suffix: str  # of the files written ("" for what only goes to the screen)
    label: str  # in words, for help and messages
    binary: bool = False  # written as bytes rather than UTF-8 text
    aliases: tuple[str, ...] = ()  # other suffixes a user may give -o for this format


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "", "plain text on the screen"),
        Format("md", ".md", "Markdown"),
        Format("html", ".html", "HTML", aliases=(".htm",)),
        Format("json", ".json", "JSON"),
        Format("csv", ".csv", "CSV (a spreadsheet's plain-text table)"),
        Format("xlsx", ".xlsx", "Excel workbook", binary=True),
        Format("parquet", ".parquet", "Parquet (the item table for DuckDB, pandas)", binary=True),
        Format("ics", ".ics", "calendar (iCalendar)", binary=True),
        Format("docx", ".docx", "Word document (the Appendix 1 form)", binary=True),
    )
}

# What each product can be written as, in the order help lists them.
REPORT = ("html", "md")  # sclearn render: one report per pledge
COLLATION = ("md", "html", "json", "csv", "xlsx", "parquet")  # sclearn collate
CHECK = ("text", "json")  # sclearn check, sclearn framework
LISTING = ("text", "json", "csv")  # sclearn due
FORM = ("docx",)  # sclearn export: the form to fill in


def choose(name: str, allowed: tuple[str, ...], option: str = "--format") -> Format:
    """The format called ``name``, if the product can be written in it."""
    if name not in allowed:
        raise UsageError(f"{option}: '{name}' is not one of {', '.join(allowed)}")
    return FORMATS[name]


def describe(allowed: tuple[str, ...]) -> str:
    """``md (Markdown), html (HTML)`` for a help text."""
    return ", ".join(f"{n} ({FORMATS[n].label})" for n in allowed)


def matches(path_suffix: str, fmt: Format) -> bool:
    """Whether a file name's suffix is this format's own."""
    return path_suffix.lower() in (fmt.suffix, *fmt.aliases)
