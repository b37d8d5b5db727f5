"""Markdown as typed: whatever someone writes shows as they wrote it on a git host."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from sclearn.exports.render import md_cell, md_escape

# CommonMark with GitHub's tables and strikethrough, as a git host renders a report.
GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TYPED = [
    "---",
    "***",
    "___",
    "~~~",
    "```",
    "~~~python",
    "1. numbered",
    "2) numbered",
    "10. ten",
    "&amp; stays &amp;",
    "A&E, Children & Families",
    "&#39; and &copy;",
    "+ plus",
    "= equals",
    "==",
    "# not a heading",
    "> not a quote",
    "-2 points",
    "* star",
    "~~not struck~~",
    "<b>not bold</b>",
    "<!-- not a comment -->",
    "a_b_c *x* **y** `code`",
    "[a link](https://example.org)",
    "![an image](x.png)",
    "back\\slash \\* and \\",
    "pipe | in | a cell",
    "1.5 hours",
    "sam.patel@example.org and x_y@example.org",
    "https://example.org/a_b",
]


def text_of(rendered: str) -> str:
    """What a reader sees: the tags gone, the entities shown as characters."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("typed", TYPED)
def test_a_list_item_shows_as_typed(typed: str) -> None:
    rendered = GFM.render(f"- {md_escape(typed)}\n")
    assert rendered.startswith("<ul>\n<li>") and "<hr" not in rendered and "<pre" not in rendered
    assert text_of(rendered) == typed


@pytest.mark.parametrize("typed", TYPED)
def test_a_paragraph_and_a_table_cell_show_as_typed(typed: str) -> None:
    assert text_of(GFM.render(md_escape(typed) + "\n")) == typed
    table = GFM.render(f"| A | B |\n| --- | --- |\n| {md_cell(typed)} | x |\n")
    assert "<table>" in table
    cells = re.findall(r"<td>(.*?)</td>", table)
    assert [text_of(c) for c in cells] == [typed, "x"]


def test_e_mail_addresses_are_links_not_bare() -> None:
    assert md_escape("write to sam@example.org") == "write to <sam@example.org>"


def test_an_empty_cell_is_never_empty() -> None:
    assert md_cell("") == "–" and md_cell("  ") == "–"


def test_the_inline_marks_get_a_backslash_as_the_plain_substitution_says() -> None:
    """``_MD_INLINE_TABLE`` is a faster statement of one regular-expression substitution:
    a backslash before every Markdown mark, checked on random texts."""
    import random

    from sclearn.exports.render import _MD_INLINE_TABLE

    marks = re.compile(r"([\\`*_{}\[\]<>|#~!])")
    rng = random.Random(3)
    alphabet = [*"\\`*_{}[]<>|#~!&-+=.:;'\" ", "a", "é", "1", "\n"]
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert text.translate(_MD_INLINE_TABLE) == marks.sub(r"\\\1", text), text
