"""`sclearn new`: create a pledge file."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.boundary import Stopped
from sclearn.cli.options import (
    FrameworkOpt,
)
from sclearn.cli.views import (
    out,
    print_problems,
)
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
    Problem,
    UsageError,
)


@app.command("new")
def new(
    name: Annotated[
        str | None, typer.Option(metavar="NAME", help="Your name, or your team's name.")
    ] = None,
    kind: Annotated[str | None, typer.Option(metavar="KIND", help="individual or team.")] = None,
    member: Annotated[
        list[str] | None,
        typer.Option("--member", metavar="NAME", help="A team member (repeat for each member)."),
    ] = None,
    role: Annotated[str, typer.Option(metavar="JOB_TITLE", help="Job title (individuals).")] = "",
    agency: Annotated[str, typer.Option(metavar="NAME", help="Agency or organisation.")] = "",
    team: Annotated[str, typer.Option(metavar="NAME", help="Team or service.")] = "",
    district: Annotated[str, typer.Option(metavar="NAME", help="District.")] = "",
    work_base: Annotated[
        str, typer.Option(metavar="ADDRESS", help="Full address of the work base.")
    ] = "",
    phone: Annotated[str, typer.Option(metavar="NUMBER", help="Telephone.")] = "",
    email: Annotated[str, typer.Option(metavar="EMAIL", help="E-mail address.")] = "",
    line_manager: Annotated[str, typer.Option(metavar="NAME", help="Line manager's name.")] = "",
    line_manager_email: Annotated[
        str, typer.Option(metavar="EMAIL", help="Line manager's e-mail.")
    ] = "",
    started: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Start date, 26/11/2026 (day/month/year) or 2026-11-26. Default: today.",
        ),
    ] = None,
    reflection: Annotated[
        bool,
        typer.Option(
            "--reflection", help="Add the optional professional-dimension reflection (Appendix 2)."
        ),
    ] = False,
    from_csv: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="A CSV file with one person or team per row; columns named after the "
            "options above (name, kind, members separated by ';', ...).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE_OR_FOLDER",
            help="The file to write, or a folder to write NAME.pledge.yaml "
            "into. Default: the current folder.",
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input", help="Never ask questions; fail if a required detail is missing."
        ),
    ] = False,
    docx: Annotated[
        bool,
        typer.Option(
            "--docx",
            help="Also write the Appendix 1 form as a Word document beside the file, "
            "to fill in and bring back with `sclearn import`.",
        ),
    ] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Create a pledge file for an individual or a team, ready to fill in by hand.

    \b
    Example:
      sclearn new --name "Sam Patel" --kind individual --email sam@example.org
    """
    from sclearn.services.create import NewPledge, info_from_row, write_from_csv, write_new

    ws = opt.workspace(output, framework)
    settings, fw = ws.settings, ws.framework
    defaults = {"agency": settings.agency, "district": settings.district}
    months = settings.review_after_months
    if from_csv is not None:
        result = write_from_csv(
            fw,
            from_csv,
            output or Path.cwd(),
            reflection=reflection,
            defaults=defaults,
            review_after_months=months,
            on_write=lambda p: out.print(f"wrote {escape(str(p))}"),
        )
        print_problems(result.problems)
        bad_rows = len([p for p in result.problems if p.severity == "error"])
        out.print(
            f"{len(result.written)} pledge files written"
            + (f"; {bad_rows} rows could not be used (see above)" if bad_rows else "")
        )
        return EXIT_INVALID if bad_rows else EXIT_OK
    values = {
        "name": name or "",
        "kind": kind or "",
        "members": ";".join(member or []),
        "role": role,
        "agency": agency or settings.agency,
        "team": team,
        "district": district or settings.district,
        "work_base": work_base,
        "phone": phone,
        "email": email,
        "line_manager": line_manager,
        "line_manager_email": line_manager_email,
        "started": started or "",
    }
    if opt.interactive(no_input):
        try:
            _ask_missing(values)
        except (typer.Abort, KeyboardInterrupt):  # Ctrl-C or Ctrl-D at a question
            raise Stopped("Stopped. Nothing was written.") from None
    elif not values["name"] or not values["kind"]:
        missing = [f"--{k}" for k in ("name", "kind") if not values[k]]
        raise UsageError(
            f"missing {' and '.join(missing)}",
            hint="give them as options, or run in a terminal to be asked",
        )
    info: NewPledge = info_from_row(values)
    info.reflection = reflection
    info.review_after_months = months
    path = write_new(fw, info, output)
    print_problems(Problem(w, severity="warning") for w in info.warnings())
    out.print(f"Created {escape(str(path))}")
    if docx:
        from sclearn.services.export import export_paths

        for done in export_paths(ws, [path], None):
            print_problems(done.problems)
            if done.target:
                out.print(
                    f"Created {escape(str(done.target))}: fill it in with Word, then "
                    f"bring it back with: sclearn import {escape(str(done.target))} "
                    f"--into {escape(str(path))}"
                )
    if opt.interactive(no_input) and _offer_fill():
        from sclearn.cli.commands.fill import run_fill

        run_fill(path, framework=framework)
        return EXIT_OK
    # The commands are lines of their own, never wrapped, so they can be copied whole.
    out.print("Open it in a text editor and fill it in, or answer questions with:", soft_wrap=True)
    out.print(f"  sclearn fill {escape(shlex.quote(str(path)))}", soft_wrap=True)
    out.print("To check it, run:", soft_wrap=True)
    out.print(f"  sclearn check {escape(shlex.quote(str(path)))}", soft_wrap=True)
    return EXIT_OK


def _offer_fill() -> bool:
    """Whether to go straight on to `sclearn fill`; the file is written already, so Ctrl-C or
    Ctrl-D here only means "not now"."""
    try:
        return bool(typer.confirm("Fill in stage 1 now, point by point?", default=True))
    except (typer.Abort, KeyboardInterrupt):
        out.print("")
        return False


def _ask_missing(values: dict[str, str]) -> None:
    """Friendly questions for what was not given as an option."""
    while values["kind"] not in ("individual", "team"):
        values["kind"] = (
            typer.prompt("Is this pledge for an individual or a team?", default="individual")
            .strip()
            .lower()
        )
    questions = [("name", "Your team's name" if values["kind"] == "team" else "Your name")]
    if values["kind"] == "team":
        questions.append(("members", "Team members (separate names with ';', or leave blank)"))
    else:
        questions.append(("role", "Your job title"))
    questions += [
        ("agency", "Agency or organisation"),
        ("team", "Team or service"),
        ("district", "District"),
        ("work_base", "Work base (full address)"),
        ("phone", "Telephone"),
        ("email", "E-mail"),
        ("line_manager", "Line manager's name"),
        ("line_manager_email", "Line manager's e-mail"),
    ]
    for key, question in questions:
        if not values[key]:
            required = key == "name"
            while True:
                answer = typer.prompt(
                    question, default="" if not required else None, show_default=False
                ).strip()
                if answer or not required:
                    break
            values[key] = answer
