"""`sclearn review`: the six-month review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.boundary import Stopped
from sclearn.cli.options import (
    FrameworkOpt,
)
from sclearn.cli.views import (
    out,
    print_report,
)
from sclearn.core.errors import (
    EXIT_OK,
    UsageError,
)


@app.command("review")
def review(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The pledge file to review.")],
    point: Annotated[
        list[str] | None,
        typer.Option(
            metavar="POINT",
            help="Record one point without questions: its number or id, or extra-N for the N-th "
            "extra point. For several points in one call, use --answers.",
        ),
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence", metavar="TEXT", help="Evidence of improved practice (repeat for several)."
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            metavar="CODE",
            help="Where each --evidence came from: SR (self report), SUR (service user "
            "report), MR (manager report) or CR (colleague report); repeat in the same order, "
            "or give one for all.",
        ),
    ] = None,
    progress: Annotated[
        str | None,
        typer.Option(metavar="PROGRESS", help="positive-change, no-change or deterioration."),
    ] = None,
    notes: Annotated[str, typer.Option(metavar="TEXT", help="Notes for this point.")] = "",
    signs: Annotated[
        str | None,
        typer.Option(
            metavar="VERDICTS",
            help="A verdict on each anticipated sign of success, in order, separated by commas: "
            "met, partly, not-yet or too-early (e.g. met,partly).",
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="A whole supervision in one call: a YAML file listing the points discussed "
            "(see the README).",
        ),
    ] = None,
    finished: Annotated[
        bool,
        typer.Option(
            "--finished",
            help="The review is finished (sets dates.reviewed to --date), even "
            "if some points have no review.",
        ),
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace progress and notes already recorded.")
    ] = False,
    scaffold: Annotated[
        bool,
        typer.Option(
            "--scaffold",
            help="Add an empty, commented review block to every point with "
            "pledges, to fill in by hand.",
        ),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="The date of the review (supervision), YYYY-MM-DD. Default: today.",
        ),
    ] = None,
    review_all: Annotated[
        bool, typer.Option("--all", help="Also go through points already reviewed.")
    ] = False,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask questions.")] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Record the six-month review: evidence of improved practice, its source, progress,
    verdicts on the signs of success and notes, point by point. Saved as it goes; run it
    again to carry on. The review is finished (dates.reviewed set) once every point with
    pledges has progress and evidence, or when --finished is given.

    \b
    Example:
      sclearn review sam-patel.pledge.yaml
    """
    from sclearn.core.completeness import check_loaded
    from sclearn.services import review as rv

    day = opt.date_option(date, "--date")
    if point and len(point) > 1:
        raise UsageError(
            f"--point was given {len(point)} times ({', '.join(point)}), but "
            "one call with flags records one point",
            hint="to record several points in one call, list them in a file "
            "and use --answers FILE (see the README)",
        )
    if answers is not None and point:
        raise UsageError("give either --point or --answers, not both")
    session = rv.Session(path, opt.workspace(path, framework).catalogue, day)
    if answers is not None:
        from sclearn.services.answers import Answers

        given = Answers(answers, session.lp)
        if given.date is not None and date is None:
            session.day = given.date
        changes = session.record_many(given.answers, replace=replace)
        out.print("\n".join(escape(c) for c in changes) if changes else "nothing new")
        finished = finished or given.finished
    elif scaffold:
        added = rv.scaffold(session.doc, session.lp)
        session.save()
        out.print(
            f"Added {added} review blocks to {escape(str(path))}; fill them in, then run "
            f"`sclearn check {escape(str(path))}`."
        )
    elif point:
        target = rv.parse_target(session.lp, point[0])
        pairs: list[tuple[str, str] | rv.EvidenceIn] = list(
            _evidence_pairs(evidence or [], source or [])
        )
        verdicts = [x.strip() for x in signs.split(",")] if signs is not None else None
        changes = session.record(
            target, rv.Entry(pairs, progress, notes, verdicts), replace=replace
        )
        out.print(f"{escape(point[0])}: " + (", ".join(changes) if changes else "nothing new"))
    elif finished:
        pass  # only marking the review finished
    elif opt.interactive(no_input):
        todo = [i for i in rv.items(session.lp) if review_all or not i.reviewed]
        if not todo:
            out.print("Every point with pledges already has a review (use --all to revisit).")
        asked: list[str] = []

        def ask(question: str) -> str:
            asked.append(question)
            return str(typer.prompt(question, default="", show_default=False))

        try:
            rv.walk(session, todo, ask, _show_item, day)
        except (typer.Abort, KeyboardInterrupt):  # Ctrl-C or Ctrl-D at a question
            # walk saves each answer as it is given (atomically), but a piece of evidence
            # only once its source is given too.
            waiting = bool(asked) and asked[-1].startswith(rv.SOURCE_QUESTION)
            raise Stopped(
                "Stopped. Everything you entered is saved"
                + (", except the last evidence, which had no source yet." if waiting else ".")
            ) from None
    else:
        raise UsageError(
            "no terminal to ask questions in",
            hint="record a point with --point, --evidence, --source and "
            "--progress, several with --answers FILE, or add blocks to fill in "
            "by hand with --scaffold",
        )
    reviewed = session.lp.pledge.dates.reviewed
    if finished and reviewed is None:
        session.finish()
        out.print(f"Review marked finished on {session.day:%d %B %Y}.")
    elif finished and reviewed != session.day and not session.finished_now:
        assert reviewed is not None
        out.print(
            f"The review was already finished on {reviewed:%d %B %Y}; to change that "
            "date, edit dates.reviewed in the file."
        )
    elif session.finished_now:
        out.print(
            f"Every point with pledges is reviewed: review finished on {session.day:%d %B %Y}."
        )
    for note in session.notes:  # what of the file's own layout could not be kept
        out.print(f"Note: {escape(note)}")
    report = check_loaded(session.lp, "2")
    print_report(report)
    return EXIT_OK


def _evidence_pairs(evidence: list[str], sources: list[str]) -> list[tuple[str, str]]:
    if evidence and not sources:
        raise UsageError("each --evidence needs a --source (for example --source MR)")
    if len(sources) == 1:
        sources = sources * len(evidence)
    if len(sources) != len(evidence):
        raise UsageError(
            f"{len(evidence)} --evidence but {len(sources)} --source given",
            hint="give one --source for all, or one for each --evidence",
        )
    return [(e, s.upper()) for e, s in zip(evidence, sources, strict=True)]


def _show_item(item: object) -> None:
    from sclearn.services.review import Item

    assert isinstance(item, Item)
    e = item.entry
    body = "[bold]Pledged[/bold]\n" + "\n".join(f"• {escape(x)}" for x in e.pledges)
    if e.signs_of_success:
        body += "\n[bold]Anticipated signs of success[/bold]\n" + "\n".join(
            f"• {escape(x)}" for x in e.signs_of_success
        )
    if e.review and (e.review.evidence or e.review.progress):
        body += "\n[bold]Already recorded[/bold]\n" + "\n".join(
            f"• {escape(x.text)} ({escape(x.source)})" for x in e.review.evidence
        )
        if e.review.progress:
            body += f"\nprogress: {escape(e.review.progress)}"
        if e.review.signs:
            body += f"\nsigns: {escape(', '.join(e.review.signs))}"
    out.print(Panel(body, title=escape(item.label), title_align="left"))
