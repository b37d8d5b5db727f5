"""`sclearn fill`: stage 1, guided, in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.boundary import Stopped
from sclearn.cli.options import FrameworkOpt
from sclearn.cli.views import out, print_report
from sclearn.core.errors import EXIT_OK, UsageError
from sclearn.core.framework import Bullet, BulletGroup, Point
from sclearn.core.pledge import PointEntry

STOPPED = "Stopped. Everything you entered is saved."


@app.command("fill")
def fill(
    path: Annotated[Path, typer.Argument(help="The pledge file to fill in.")],
    point: Annotated[
        str | None, typer.Option(help="Start at this point (its number or id).")
    ] = None,
    framework: FrameworkOpt = None,
) -> int:
    """Fill in stage 1 point by point: good practice, pledges, what will help and hinder,
    signs of success. Every answer is saved at once; run it again to carry on."""
    if not opt.interactive(False):
        raise UsageError(
            "no terminal to ask questions in",
            hint="run it in a terminal, or fill in the file or a Word form "
            "(`sclearn export`) instead",
        )
    run_fill(path, point, framework)
    return EXIT_OK


def run_fill(path: Path, point: str | None = None, framework: str | None = None) -> None:
    """The guided stage 1 (also where `sclearn new` goes on to in a terminal)."""
    from sclearn.core.completeness import check_loaded
    from sclearn.services import fill as fl

    session = fl.Session(path, opt.workspace(path, framework).catalogue)

    def ask(question: str) -> str:
        return str(typer.prompt(question, default="", show_default=False))

    try:
        fl.walk(session, fl.Ui(ask, _show), point)
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C or Ctrl-D at a question
        raise Stopped(STOPPED) from None
    for note in session.notes:
        out.print(f"Note: {escape(note)}")
    print_report(check_loaded(session.lp, "1"))


def _lines(bullets: list[Bullet], depth: int = 0) -> list[str]:
    lines = []
    for b in bullets:
        text = b.text if isinstance(b, BulletGroup) else b
        lines.append("  " * depth + "• " + escape(text))
        if isinstance(b, BulletGroup):
            lines += _lines(b.items, depth + 1)
    return lines


def _show(label: str, pt: Point | None, entry: PointEntry | None) -> None:
    body: list[str] = []
    if pt is not None:
        body.append(f"[bold]{pt.number}) {escape(pt.title)}[/bold]")
        if pt.key_points:
            body += ["[bold]Key points[/bold]", *_lines(pt.key_points)]
        if pt.additional_detail:
            body += ["[bold]Additional detail[/bold]", *_lines(pt.additional_detail)]
    elif entry is not None and hasattr(entry, "finding"):
        body.append(f"[bold]{escape(str(entry.finding))}[/bold]")
    if entry is not None:
        for name in ("good_practice", "pledges", "helps", "hinders", "signs_of_success"):
            items = getattr(entry, name)
            if items:
                body += [
                    f"[dim]Already written ({name.replace('_', ' ')}):[/dim]",
                    *(f"  • {escape(x)}" for x in items),
                ]
    out.print(Panel("\n".join(body), title=escape(label), title_align="left"))
