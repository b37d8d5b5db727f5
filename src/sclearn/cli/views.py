"""Terminal output: rich for people, plain JSON for scripts."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from sclearn.core.errors import Problem, kind_words, place
from sclearn.core.summary import summarise

if TYPE_CHECKING:
    # The pledge and framework models are built on import: `--help` and commands that do not
    # read a pledge should not pay for them.
    from sclearn.core.completeness import FileReport
    from sclearn.core.framework import Bullet

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Write data as indented JSON on stdout, for scripts."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def problem_line(p: Problem) -> str:
    """One problem as a line of rich markup: where, how serious, what, and what to do."""
    colour = "red" if p.severity == "error" else "yellow"
    word = kind_words(p)  # the same words as `check`, so it reads without colour
    where = f"{escape(p.location)}: " if p.path or p.line else ""
    at = place(p.loc, p.point)
    point = f"{escape(at)}: " if at else ""
    hint = f"\n    [dim]what to do: {escape(p.hint)}[/dim]" if p.hint else ""
    return f"{where}[{colour}]{word}[/{colour}]: {point}{escape(p.message)}{hint}"


def say(markup: str, console: Console = err) -> None:
    """A line of rich markup: through rich on a terminal; elsewhere (a file, a pipe, a
    script) its plain text goes straight to the stream, unwrapped. Rich lays out each line
    in about half a millisecond, which a folder of a thousand reports pays for every line,
    and without a terminal it adds no colour anyway."""
    if console.is_terminal:
        console.print(markup)
    elif not console.quiet:
        console.file.write(Text.from_markup(markup).plain + "\n")


def print_problems(problems: Iterable[Problem], console: Console = err) -> None:
    """Print each problem on its own line (stderr unless another console is given)."""
    for p in problems:
        say(problem_line(p), console)


def bullet_tree(label: str, bullets: list[Bullet]) -> Tree:
    """Nested bullets (key points, considerations) as a rich tree under a bold label."""
    tree = Tree(f"[bold]{escape(label)}[/bold]", guide_style="dim")
    _add(tree, bullets)
    return tree


def _add(tree: Tree, bullets: list[Bullet]) -> None:
    for b in bullets:
        if isinstance(b, str):
            tree.add(escape(b))
        else:
            _add(tree.add(escape(b.text)), b.items)


def _headline(r: FileReport) -> str:
    if r.status == "invalid":
        if not r.readable:
            return "cannot be read"
        lines = sorted({p.line for p in r.errors if p.line})
        if len(r.errors) == 1:
            return f"has a mistake on line {lines[0]}" if lines else "has a mistake"
        first = f" (the first on line {lines[0]})" if lines else ""
        return f"has {len(r.errors)} mistakes{first}"
    head = f"stage {r.stage} {r.status}"
    if r.stage == 2 and r.stage1_complete and not r.stage2_complete:
        head += " (stage 1 complete)"
    counts = [
        f"{n} {what}"
        for n, what in ((len(r.errors), "to fix"), (len(r.warnings), "worth a look"))
        if n
    ]
    return head + (": " + ", ".join(counts) if counts else "")


_COMMAND = re.compile(r"`[^`]+`")
_KEEP = "\x00"  # a space inside a command while the text is wrapped


def wrap(text: str, width: int) -> list[str]:
    """``textwrap.wrap`` at spaces only (never inside a word or after a hyphen).

    A text that fits and holds no tab, newline or trailing space is its own one line, as
    textwrap would make it: most lines of a report are, and textwrap costs more than the
    rest of a report line."""
    if len(text) <= width and text.isprintable() and text and not text.endswith(" "):
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


# A line of a report: its pieces of text, each with its rich style ("" for none).
Line = list[tuple[str, str]]


def _wrapped(text: str, width: int, indent: str, style: str = "") -> list[Line]:
    """Text wrapped at spaces only (never inside a word, a key or a command), indented.

    A line of a hint that starts with two spaces is an example to copy (a corrected line)
    and is kept whole."""
    out: list[Line] = []
    for n, part in enumerate(text.split("\n")):
        if n and part.startswith("  "):
            out.append([(indent + part, "bold")])
            continue
        # A `command` is one word to the wrapper, so it is copied whole from one line.
        part = _COMMAND.sub(lambda m: m.group(0).replace(" ", _KEEP), part)
        for line in wrap(part, max(width - len(indent), 20)) or [""]:
            out.append([(indent + line.replace(_KEEP, " "), style)])
    return out


def report_pieces(r: FileReport, width: int = 80, *, verbose: bool = False) -> list[Line]:
    """What `check` says of one file, as lines no wider than ``width`` where words allow.

    Every problem has its own block: its kind in words ("must fix", "worth a look", so it
    reads without colour), its line and column, the place in words, what is wrong, and what
    to do. Gaps many points share are said once unless ``verbose``. Plain pieces, not rich
    text: without a terminal only their text is written (``report_text``), and building
    rich text for every line was a fifth of `check FOLDER`'s work."""
    colour = {"complete": "green", "incomplete": "yellow", "invalid": "red"}[r.status]
    head: Line = [(str(r.path), "bold"), (":", "")]
    said = _headline(r)
    lines = [head]
    if len(str(r.path)) + 2 + len(said) <= width:
        head.append((" " + said, colour))
    else:  # a long path: what it says goes on the next line, not broken into pieces
        lines.append([("  " + said, colour)])
    problems = r.problems if verbose else summarise(r.problems)
    for p in problems:
        kind = kind_words(p)
        where = [kind]
        if p.line:
            where.append(f"line {p.line}" + (f", column {p.column}" if p.column else ""))
        at = place(p.loc, p.point)
        if at:
            where.append(at)
        lines.append([])
        first: Line = [("  ", ""), (kind, "bold red" if p.severity == "error" else "bold yellow")]
        rest = " · ".join(where[1:])
        for n, line in enumerate(wrap(rest, max(width - len(kind) - 5, 20))):
            if n == 0:
                first.append((" · " + line, ""))
                lines.append(first)
            else:
                lines.append([(" " * (len(kind) + 5) + line, "")])
        if not rest:
            lines.append(first)
        lines += _wrapped(p.message, width, "      ")
        if p.hint:
            lines += _wrapped("what to do: " + p.hint, width, "      ", "dim")
    if problems:  # a blank line before the next file's name
        lines.append([])
    return lines


def report_lines(r: FileReport, width: int = 80, *, verbose: bool = False) -> list[Text]:
    """``report_pieces`` as rich text, to print in colour."""
    return [Text.assemble(*line) for line in report_pieces(r, width, verbose=verbose)]


def report_text(r: FileReport, width: int = 80, *, verbose: bool = False) -> str:
    """``report_pieces`` as plain text, a line each."""
    pieces = report_pieces(r, width, verbose=verbose)
    return "".join("".join(text for text, _ in line) + "\n" for line in pieces)


def print_report(r: FileReport, *, verbose: bool = False, console: Console | None = None) -> None:
    """Show what `check` found in one file: a headline, then each problem in its own block."""
    console = console or out
    for line in report_lines(r, console.width, verbose=verbose):
        # Already wrapped at spaces: a longer word (a path) runs on rather than being broken.
        console.print(line, soft_wrap=True)


def word_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str]], width: int
) -> Table:
    """A table that wraps its cells at spaces only: each column gets at least its longest
    word (a file name is one word) and the room left goes to the columns with most to say,
    so a word is broken only when the terminal is narrower than the words themselves."""
    rows = list(rows)
    plain = [[Text.from_markup(cell).plain for cell in r] for r in rows]
    cols = range(len(columns))
    word = [max(len(w) for r in [columns, *plain] for w in r[n].split()) for n in cols]
    full = [max([len(columns[n]), *(len(r[n]) for r in plain)]) for n in cols]
    space = width - (3 * len(columns) + 1)  # less the borders and padding
    # A short cell (a date, a state) is kept on one line, where there is room for that.
    widths = [f if f <= 12 else w for w, f in zip(word, full, strict=True)]
    if sum(widths) > space:
        widths = list(word)
    room = space - sum(widths)
    while room > 0 and any(w < f for w, f in zip(widths, full, strict=True)):
        n = max(cols, key=lambda i: full[i] - widths[i])
        widths[n] += 1
        room -= 1
    table = Table(title=title, title_justify="left")
    for col, w in zip(columns, widths, strict=True):
        # Rich crops rather than wraps when minimums overflow: let it fold in that case.
        table.add_column(col, overflow="fold", width=w if room >= 0 else None)
    for r in rows:
        table.add_row(*r)
    return table


def report_printer(
    *, verbose: bool, console: Console | None = None
) -> Callable[[FileReport], None]:
    """``print_report`` for many files, asking once whether the output is a terminal.

    When it is not (a file, a pipe, a script), each report's lines go to the stream as plain
    text: rich's rendering of every line cost more than checking the file, and without a
    terminal it adds no colour anyway. What is written is the same either way."""
    console = console or out
    if console.is_terminal:
        return lambda r: print_report(r, verbose=verbose, console=console)
    width, stream = console.width, console.file

    def write(r: FileReport) -> None:
        stream.write(report_text(r, width, verbose=verbose))

    return write


def write_csv(rows: Sequence[Mapping[str, object]], columns: list[str]) -> None:
    """Write rows as CSV on stdout, with every cell safe to open in a spreadsheet."""
    import csv

    from sclearn.exports.safety import spreadsheet_cell

    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})


def emit(
    text: str, output: Path | None, suffixes: Sequence[str] | None = None, *, force: bool = False
) -> None:
    """Text to the screen, or to ``output`` through the output guard (see files.write)."""
    from sclearn.files.write import OUTPUT_SUFFIXES, write_output

    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text.encode("utf-8"), suffixes or OUTPUT_SUFFIXES, force=force)
