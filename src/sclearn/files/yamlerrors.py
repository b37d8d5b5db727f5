"""The YAML parser's complaints in plain English: what is wrong, the usual cause, the fix.

libyaml says "mapping values are not allowed in this context" or "did not find expected key
while parsing a block mapping"; a person editing a pledge in Notepad needs to hear that the
colon in her sentence needs quotes, or that a line is one space out. Each class of the parser's
errors is told here from the line it points at and the lines around it, with the line written
as it should be where that can be guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERAL = (
    "check the indentation (spaces only, lined up with the lines around it), and put "
    "text that contains ': ' or ' #', or starts with a special character, in quotes"
)


def quoted(text: str) -> str:
    """``text`` in the quotes that need no escaping inside it."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def split_lines(text: str) -> list[str]:
    """Lines as YAML counts them: a lone carriage return or a Unicode line break ends one too."""
    return re.split("\r\n|[\r\n\x85\u2028\u2029]", text)


@dataclass(frozen=True)
class Plain:
    """A parse error told plainly: the line and column it is on, what, and what to do."""

    line: int | None
    column: int | None
    message: str
    hint: str


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _split(text: str) -> tuple[str, str]:
    """A line as what comes before its value (indentation, '- ', 'key: ') and the value."""
    m = re.match(r"(\s*-\s+)(.*)$", text) or re.match(r"(\s*[^\s:#'\"][^:#]*?:\s+)(.*)$", text)
    return (m.group(1), m.group(2).rstrip()) if m else ("", text.strip())


def _above(lines: list[str], n: int) -> int | None:
    """The index of the nearest line above ``n`` with something on it (not a comment)."""
    for i in range(n - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i
    return None


def _quote_fix(text: str) -> str:
    lead, value = _split(text)
    return f"put the whole text in quotes:\n  {lead}{quoted(value)}"


def translate(
    text: str,
    problem: str,
    context: str,
    line: int | None,
    column: int | None,
    context_line: int | None,
) -> Plain:
    """A parser error (its ``problem`` and ``context`` words, 1-based places) told plainly."""
    lines = split_lines(text)
    n = (line or 1) - 1
    here = lines[n] if 0 <= n < len(lines) else ""
    ch = here[column - 1] if column and 0 < column <= len(here) else ""
    if "tab" in problem or ch == "\t":
        return Plain(
            line,
            column,
            "this line has a tab in it; only spaces may be used to indent",
            "replace the tab with spaces (most editors can show tabs and convert them)",
        )
    if "mapping values are not allowed" in problem:
        return _colon(lines, n, line, column)
    if "could not find expected ':'" in problem:
        at = (context_line or line or 1) - 1
        text_at = lines[at].strip() if 0 <= at < len(lines) else ""
        up = _above(lines, at) if 0 <= at < len(lines) else None
        if (
            up is not None
            and _indent(lines[up]) == _indent(lines[at])
            and not lines[up].lstrip().startswith("-")
            and ":" in lines[up]
        ):
            return Plain(
                at + 1,
                None,
                f"'{text_at}' has no ':' after its name",
                "write the name, ':', a space and the value, like the lines around it",
            )
        return Plain(
            at + 1,
            None,
            f"'{text_at}' has no ':' after a name, and does not start with '- '",
            "if it is another item of the list above, start it with "
            "'- '; if it is a setting, write its name, ':', a space and the value; if "
            "it continues the line above, indent it further than that line",
        )
    if "block sequence entries are not allowed" in problem:
        lead, _ = _split(here)
        item = here[(column or 1) - 1 :].strip()
        return Plain(
            line,
            column,
            "a list item ('- ') cannot start on the same line as its name",
            f"start the item on the next line, indented further:\n  "
            f"{lead.rstrip()}\n  {' ' * (_indent(here) + 2)}{item}",
        )
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        return _misplaced(lines, n, line, column, "'-'" in problem)
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        opened, closer = ("[", "]") if "]" in problem else ("{", "}")
        return Plain(
            context_line,
            None,
            f"the '{opened}' on this line is never closed with '{closer}'",
            f"end it with '{closer}' on the same line, or write each "
            "item on a line of its own starting '- ' (and put an item that contains "
            "a comma, '[' or ']' in quotes)",
        )
    if "end of stream" in problem and "quoted" in context:
        return Plain(
            context_line,
            None,
            "a quote opened on this line is never closed",
            "add the closing quote at the end of the text (a text that starts with "
            "a quote must end with the same quote)",
        )
    if "unknown escape" in problem:
        lead, value = _split(here)
        value = value.strip('"')
        return Plain(
            line,
            column,
            "a backslash '\\' inside double quotes starts a special "
            "code, and this one is not known",
            f"use single quotes instead, or write each backslash twice:\n  {lead}{quoted(value)}",
        )
    if "undefined alias" in problem:
        return Plain(
            line,
            column,
            "text that starts with '*' has a special meaning in these "
            "files (a YAML alias, which pledge files do not use)",
            _quote_fix(here),
        )
    if "alias" in context or "anchor" in context:
        mark = "*" if "alias" in context else "&"
        return Plain(
            line,
            column,
            f"text that starts with '{mark}' has a special meaning in these files",
            _quote_fix(here),
        )
    if "block scalar" in context or "directive" in context or "cannot start any token" in problem:
        first = _split(here)[1][:1] if "block scalar" in context else (ch or here.lstrip("- ")[:1])
        return Plain(
            line,
            column,
            f"text cannot start with '{first}' unless it is in quotes",
            _quote_fix(here),
        )
    if "expected node content" in problem:
        return Plain(
            line,
            column,
            "something is missing here: an empty item between commas, or a ',' or ']' too many",
            "remove the extra comma or bracket",
        )
    if "document" in problem or "document" in context:
        return Plain(
            line,
            column,
            "sclearn cannot tell what this line belongs to",
            "check that it is lined up with the lines around it, and that a line "
            "of '---' has not been added inside the file",
        )
    return Plain(line, column, "sclearn cannot make sense of this line", GENERAL)


def _colon(lines: list[str], n: int, line: int | None, column: int | None) -> Plain:
    """A ': ' where a value was being read: a colon in text, or a line indented too far."""
    here = lines[n] if n < len(lines) else ""
    lead, value = _split(here)
    if lead and ": " in value + " " and not lead.lstrip().startswith("-"):
        return Plain(
            line,
            column,
            "this line has a second ': ' in it, after the name and its ': '",
            _quote_fix(here),
        )
    up = _above(lines, n)
    if up is None:
        return Plain(line, column, "sclearn cannot make sense of this line", GENERAL)
    above = lines[up]
    up_lead, up_value = _split(above)
    if up_lead.lstrip().startswith("-") and _indent(here) > _indent(above):
        whole = f"{up_value} {here.strip()}"
        return Plain(
            line,
            column,
            f"this line continues the item on line {up + 1}, and the "
            "': ' in it cannot be read there",
            f"put the whole item on one line, in quotes:\n  {up_lead}{quoted(whole)}",
        )
    if ":" not in above.split("#")[0] and _indent(above) == _indent(here):
        return Plain(
            up + 1,
            None,
            f"'{above.strip()}' has no ':' after its name",
            "write the name, ':', a space and the value, like the lines around it",
        )
    if _indent(here) > _indent(above) and up_value:
        return Plain(
            line,
            _indent(here) + 1,
            f"this line is indented further than line {up + 1} above it",
            f"start it in column {_indent(above) + 1}, in line "
            f"with '{above.strip().split(':')[0]}:' on line {up + 1}",
        )
    return Plain(
        line, column, "there is a ': ' in this text that cannot be read as it is", _quote_fix(here)
    )


def _misplaced(
    lines: list[str], n: int, line: int | None, column: int | None, in_list: bool
) -> Plain:
    """Something where a name (or a '- ' item) should start: text after quotes or brackets,
    a line out of step with the lines around it, or a list item among names."""
    here = lines[n] if n < len(lines) else ""
    col = (column or 1) - 1
    before = here[:col].rstrip()
    after = here[col:].strip()
    if before.endswith(("'", '"')) and before.lstrip("- ").strip() and after:
        lead, value = _split(here)
        if value[:1] == "'" and "'" in value[1:]:
            cause = "the apostrophe inside 'single quotes' ends the quoted text early"
        else:
            cause = "there is more text after the closing quote"
        fixed = (
            f"'{value[1:-1].replace(chr(39), chr(39) * 2)}'" if value[:1] == "'" else quoted(value)
        )
        if value[:1] == "'" and '"' not in value:
            fixed = f'"{value[1:-1]}"'
        return Plain(
            line, column, cause, f"put the whole text in one pair of quotes:\n  {lead}{fixed}"
        )
    if before.endswith(("]", "}")) and after and not before.lstrip("- ").startswith(("[", "{")):
        return Plain(
            line,
            column,
            f"there is more text after the closing '{before[-1]}'",
            "check the brackets: one '[' for one ']'",
        )
    lead, value = _split(here)
    if lead.lstrip().startswith("-") and value[:1] in "[{" and value:
        return Plain(
            line,
            column,
            f"an item that starts with '{value[0]}' is read as a list of its own",
            _quote_fix(here),
        )
    up = _above(lines, n)
    above = lines[up] if up is not None else ""
    if here.lstrip().startswith("- ") and not in_list:
        return Plain(
            line,
            _indent(here) + 1,
            "a list item ('- ') where a name and ':' were expected",
            "if it belongs to the list above, line its '-' up with the "
            "other items; if not, give it a name and ':' first",
        )
    if in_list and not here.lstrip().startswith("-"):
        return Plain(
            line,
            _indent(here) + 1,
            "this line is lined up with the list items above but does not start with '- '",
            "start it with '- ' if it is another "
            "item; if it is a new name (like 'helps:'), line it up with the name "
            "that holds the list",
        )
    return Plain(
        line,
        _indent(here) + 1,
        "this line's indentation does not match the lines "
        "above it"
        + (f" (line {up + 1} starts in column {_indent(above) + 1})" if up is not None else ""),
        "line it up with the other names at the same level, using spaces",
    )


def hidden_character(text: str, position: int, character: int | str) -> Plain:
    """A control character (often pasted from a word processor or an e-mail) told plainly."""
    line = text[:position].count("\n") + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = character if isinstance(character, int) else ord(character[:1] or "?")
    return Plain(
        line,
        column,
        f"this line holds a hidden control character (code {code}), "
        "often pasted in from a word processor or an e-mail",
        f"delete it: retype the text around column {column}",
    )
