"""The `sclearn` command line: each command maps its options onto one library call.

All user-facing errors are ``SclearnError``s, turned into a message and an exit status by
``main`` alone. Set SCLEARN_DEBUG=1 to see a traceback instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from sclearn import __version__
from sclearn.checks import FileReport
from sclearn.console import bullet_tree, err, out, print_json, print_problems
from sclearn.errors import (
    EXIT_INCOMPLETE,
    EXIT_INVALID,
    EXIT_OK,
    FrameworkError,
    InvalidFileError,
    SclearnError,
    UsageError,
)
from sclearn.framework import Catalogue, Framework, load_framework, open_catalogue
from sclearn.pledge import LoadedPledge
from sclearn.settings import Settings

app = typer.Typer(
    name="sclearn",
    help="Developing and Improving Practice Pledges: create, check, review, render and collate "
    "pledge files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
framework_app = typer.Typer(help="Read the framework: its areas, points and guidance.",
                            no_args_is_help=True)
app.add_typer(framework_app, name="framework")

FrameworkOpt = Annotated[
    str | None,
    typer.Option(
        "--framework",
        help="Framework to use: ID or ID@VERSION of a known one, or the path of a board's own "
        "framework file or folder. Default: the built-in latest.",
        envvar="SCLEARN_FRAMEWORK",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", help="Output format: text or json.")]


def _version(value: bool) -> None:
    if value:
        out.print(f"sclearn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and stop.")] = False,
) -> None:
    """Developing and Improving Practice Pledges, kept as plain files."""


def _check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise click.BadParameter(f"'{value}' is not one of: {', '.join(allowed)}",
                                 param_hint="--format")
    return value


# --- sclearn framework ------------------------------------------------------------------------


@framework_app.command("list")
def framework_list(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Extra framework files or folders to include (a board's own).")] = None,
    fmt: FormatOpt = "text",
) -> int:
    """List the frameworks available: id, version, title and number of points."""
    _check_format(fmt, ("text", "json"))
    cat = Catalogue.load(paths or [])
    rows = [{"id": f.id, "version": f.version, "title": f.title, "publisher": f.publisher,
             "areas": len(f.areas), "points": len(f.points), "source": str(cat.sources[f.ref])}
            for f in cat.frameworks]
    if fmt == "json":
        print_json(rows)
    else:
        table = Table(title="Frameworks")
        for col in ("id", "version", "title", "areas", "points"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(*(escape(str(r[c]))
                            for c in ("id", "version", "title", "areas", "points")))
        out.print(table)
    for e in cat.errors:
        print_problems(e.problems)
    return EXIT_INVALID if cat.errors else EXIT_OK


@framework_app.command("show")
def framework_show(
    item: Annotated[str | None, typer.Argument(
        help="A point (number or id), or a professional-dimension domain (worker, agency, "
        "inter-agency). Without it: the overview of areas and points.")] = None,
    framework: FrameworkOpt = None,
    fmt: FormatOpt = "text",
) -> int:
    """Show a point's key points and detail, a domain of the professional dimension, or the
    overview; what a team reads when it discusses the points in stage 1 (i)."""
    _check_format(fmt, ("text", "json"))
    _, fw = open_catalogue(framework)
    domains = {d.id: d for d in (fw.professional_dimension.domains
                                 if fw.professional_dimension else [])}
    if item in domains:
        domain = domains[item]
        if fmt == "json":
            print_json(domain.model_dump())
            return EXIT_OK
        out.print(Panel(escape(fw.professional_dimension.title if fw.professional_dimension
                               else ""), title=escape(domain.title)))
        for dim in domain.dimensions:
            out.print(bullet_tree(dim.title, dim.considerations))
        return EXIT_OK
    if item is None:
        if fmt == "json":
            print_json({"id": fw.id, "version": fw.version, "title": fw.title,
                        "areas": [{"id": a.id, "number": a.number, "title": a.title,
                                   "points": [{"id": p.id, "number": p.number, "title": p.title}
                                              for p in a.points]} for a in fw.areas]})
            return EXIT_OK
        out.print(f"[bold]{escape(fw.title)}[/bold]\n{escape(fw.publisher)} · "
                  f"{escape(fw.edition)} · version {escape(fw.version)}\n")
        for area in fw.areas:
            table = Table(title=f"{area.number}) {escape(area.title)}", title_justify="left",
                          show_header=True, expand=False)
            table.add_column("No.", justify="right")
            table.add_column("Point id")
            table.add_column("Point", overflow="fold")
            for p in area.points:
                table.add_row(str(p.number), p.id, escape(p.title))
            out.print(table)
        out.print("Show one point with `sclearn framework show NUMBER`.")
        return EXIT_OK
    point = fw.point(item)
    if fmt == "json":
        print_json(point.model_dump())
        return EXIT_OK
    area = fw.area_of(point.id)
    out.print(Panel(f"[bold]{escape(point.title)}[/bold]",
                    title=f"Point {point.number} · {escape(point.id)}",
                    subtitle=f"Area {area.number}: {escape(area.title)}"))
    if point.key_points:
        out.print(bullet_tree(fw.table.columns[0] if fw.table.columns else "Key points",
                              point.key_points))
    if point.additional_detail:
        label = fw.table.columns[1] if len(fw.table.columns) > 1 else "Additional detail"
        out.print(bullet_tree(label, point.additional_detail))
    return EXIT_OK


@framework_app.command("check")
def framework_check(
    path: Annotated[Path, typer.Argument(help="A framework file to validate.")],
) -> int:
    """Validate a board's own framework file and report every mistake with its line."""
    fw = load_framework(path)
    out.print(f"{escape(str(path))}: OK — {escape(fw.ref)}, {len(fw.areas)} areas, "
              f"{len(fw.points)} points, evidence sources {', '.join(fw.evidence_sources)}")
    return EXIT_OK


# --- sclearn new -------------------------------------------------------------------------------


def _interactive(no_input: bool) -> bool:
    return not no_input and sys.stdin.isatty() and sys.stdout.isatty()


@app.command("new")
def new(
    name: Annotated[str | None, typer.Option(help="Your name, or your team's name.")] = None,
    kind: Annotated[str | None, typer.Option(help="individual or team.")] = None,
    member: Annotated[list[str] | None, typer.Option(
        "--member", help="A team member (repeat for each member).")] = None,
    role: Annotated[str, typer.Option(help="Job title (individuals).")] = "",
    agency: Annotated[str, typer.Option(help="Agency or organisation.")] = "",
    team: Annotated[str, typer.Option(help="Team or service.")] = "",
    district: Annotated[str, typer.Option(help="District.")] = "",
    work_base: Annotated[str, typer.Option(help="Full address of the work base.")] = "",
    phone: Annotated[str, typer.Option(help="Telephone.")] = "",
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    line_manager: Annotated[str, typer.Option(help="Line manager's name.")] = "",
    line_manager_email: Annotated[str, typer.Option(help="Line manager's e-mail.")] = "",
    started: Annotated[str | None, typer.Option(
        help="Start date, YYYY-MM-DD. Default: today.")] = None,
    reflection: Annotated[bool, typer.Option(
        "--reflection", help="Add the optional professional-dimension reflection "
        "(Appendix 2).")] = False,
    from_csv: Annotated[Path | None, typer.Option(
        "--from", help="A CSV file with one person or team per row; columns named after the "
        "options above (name, kind, members separated by ';', ...).")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The file to write, or a folder to write <name>.pledge.yaml "
        "into. Default: the current folder.")] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never ask questions; fail if a required detail is missing.")
    ] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Create a pledge file for an individual or a team, ready to fill in by hand."""
    from sclearn.scaffold import NewPledge, info_from_row, write_from_csv, write_new

    settings = _settings(output)
    _, fw = open_catalogue(framework or settings.framework_spec)
    defaults = {"agency": settings.agency, "district": settings.district}
    months = settings.review_after_months
    if from_csv is not None:
        result = write_from_csv(fw, from_csv, output or Path.cwd(), reflection=reflection,
                                defaults=defaults, review_after_months=months,
                                on_write=lambda p: out.print(f"wrote {escape(str(p))}"))
        print_problems(result.problems)
        bad_rows = len([p for p in result.problems if p.severity == "error"])
        out.print(f"{len(result.written)} pledge files written"
                  + (f"; {bad_rows} rows could not be used (see above)" if bad_rows else ""))
        return EXIT_INVALID if bad_rows else EXIT_OK
    values = {"name": name or "", "kind": kind or "", "members": ";".join(member or []),
              "role": role, "agency": agency or settings.agency, "team": team,
              "district": district or settings.district,
              "work_base": work_base, "phone": phone, "email": email,
              "line_manager": line_manager, "line_manager_email": line_manager_email,
              "started": started or ""}
    if _interactive(no_input):
        _ask_missing(values)
    elif not values["name"] or not values["kind"]:
        missing = [f"--{k}" for k in ("name", "kind") if not values[k]]
        raise UsageError(f"missing {' and '.join(missing)}",
                         hint="give them as options, or run in a terminal to be asked")
    info: NewPledge = info_from_row(values)
    info.reflection = reflection
    info.review_after_months = months
    path = write_new(fw, info, output)
    out.print(f"Created {escape(str(path))}\nOpen it in a text editor and fill it in; check it "
              f"with: sclearn check {escape(str(path))}")
    return EXIT_OK


def _ask_missing(values: dict[str, str]) -> None:
    """Friendly questions for what was not given as an option."""
    while values["kind"] not in ("individual", "team"):
        values["kind"] = typer.prompt("Is this pledge for an individual or a team?",
                                      default="individual").strip().lower()
    questions = [("name", "Your team's name" if values["kind"] == "team" else "Your name")]
    if values["kind"] == "team":
        questions.append(("members", "Team members (separate names with ';', or leave blank)"))
    else:
        questions.append(("role", "Your job title"))
    questions += [("agency", "Agency or organisation"), ("team", "Team or service"),
                  ("district", "District"), ("work_base", "Work base (full address)"),
                  ("phone", "Telephone"), ("email", "E-mail"),
                  ("line_manager", "Line manager's name"),
                  ("line_manager_email", "Line manager's e-mail")]
    for key, question in questions:
        if not values[key]:
            required = key == "name"
            while True:
                answer = typer.prompt(question, default="" if not required else None,
                                      show_default=False).strip()
                if answer or not required:
                    break
            values[key] = answer


# --- sclearn check -----------------------------------------------------------------------------


CasePatternOpt = Annotated[list[str] | None, typer.Option(
    "--case-pattern", help="A case reference format to look for in free text, as a regular "
    "expression (repeat for several), e.g. 'CP-\\d{6}'.")]
RedactOpt = Annotated[bool, typer.Option(
    "--redact", help="Mask what looks like personal data (NHS numbers, postcodes, dates of "
    "birth, phone numbers, e-mail addresses, case references) in what is written.")]


def _case_patterns(given: list[str] | None, near: Path | None = None
                   ) -> list[re.Pattern[str]]:
    """The case reference patterns given, and those of the folder's sclearn.toml."""
    from sclearn.privacy import compile_patterns

    return compile_patterns([*(given or []), *_settings(near).case_reference_patterns])


def _privacy_warning(lp: LoadedPledge, patterns: list[re.Pattern[str]]) -> None:
    from sclearn.privacy import scan

    found = scan(lp, patterns)
    if found:
        err.print(f"[yellow]warning:[/yellow] {escape(str(lp.path))}: {len(found)} piece"
                  f"{'s' if len(found) != 1 else ''} of text look like personal data (first "
                  f"on line {found[0].line}); see `sclearn check {escape(str(lp.path))}`, or "
                  "use --redact")


AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="Treat this date (YYYY-MM-DD) as today, to reproduce a report.")]


def _as_of(value: str | None) -> dt.date:
    return _date_option(value, "--as-of")


@app.command("check")
def check(
    paths: Annotated[list[Path], typer.Argument(
        help="Pledge files, or folders to search for *.pledge.yaml.")],
    stage: Annotated[str, typer.Option(
        help="Which stage must be complete: 1, 2, or auto (2 once dates.reviewed is set).")
    ] = "auto",
    fmt: FormatOpt = "text",
    privacy: Annotated[str, typer.Option(
        help="The personal-data check: warn (default), strict (a finding makes the file "
        "incomplete) or off.")] = "warn",
    case_pattern: CasePatternOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
) -> int:
    """Report whether each pledge is complete, with every problem located and what to do.

    Exit status: 0 all complete, 1 some incomplete, 2 some invalid or unreadable."""
    from sclearn.checks import check_file, find_pledge_files

    _check_format(fmt, ("text", "json"))
    if stage not in ("1", "2", "auto"):
        raise click.BadParameter("use 1, 2 or auto", param_hint="--stage")
    cat = _catalogue_for_files(framework)
    day = _as_of(as_of)
    files = list(find_pledge_files(paths))
    if not files:
        raise UsageError("no *.pledge.yaml files found there")
    if privacy not in ("off", "warn", "strict"):
        raise click.BadParameter("use warn, strict or off", param_hint="--privacy")
    patterns = _case_patterns(case_pattern, paths[0])
    reports = [check_file(f, cat, stage, day, privacy=privacy,  # type: ignore[arg-type]
                          case_patterns=patterns) for f in files]
    counts = {s: sum(r.status == s for r in reports) for s in ("complete", "incomplete", "invalid")}
    if fmt == "json":
        print_json({"files": [r.as_json() for r in reports], "summary": counts})
    else:
        for r in reports:
            _print_report(r)
        if len(reports) > 1:
            out.print(f"\n{counts['complete']} complete, {counts['incomplete']} incomplete, "
                      f"{counts['invalid']} invalid")
    if counts["invalid"]:
        return EXIT_INVALID
    return EXIT_INCOMPLETE if counts["incomplete"] else EXIT_OK


def _catalogue_for_files(framework: str | None) -> Catalogue:
    """Files name their own framework; --framework only adds a board's own files to choose from."""
    if framework and Path(framework).exists():
        return Catalogue.load([Path(framework)])
    return Catalogue.load()


def _print_report(r: FileReport) -> None:
    colour = {"complete": "green", "incomplete": "yellow", "invalid": "red"}[r.status]
    if r.status == "invalid":
        headline = "cannot be read"
    else:
        headline = (f"stage {r.stage} {r.status}" + (" · stage 1 complete"
                    if r.stage == 2 and r.stage1_complete and not r.stage2_complete else ""))
    out.print(f"[bold]{escape(str(r.path))}[/bold]: [{colour}]{headline}[/{colour}]"
              + (f" ({len(r.errors)} to do, {len(r.warnings)} warnings)" if r.problems else ""))
    if not r.problems:
        return
    table = Table(show_edge=False, pad_edge=False, box=None)
    for col in ("line", "point", "problem", "what to do"):
        table.add_column(col, overflow="fold")
    # One row per point: a fresh file would otherwise list five lines for each of its points.
    for _, group in itertools.groupby(r.problems, key=lambda p: p.point or id(p)):
        items = list(group)
        cells = [f"[{'red' if p.severity == 'error' else 'yellow'}]{escape(p.message)}[/]"
                 for p in items]
        hints = dict.fromkeys(escape(p.hint) for p in items if p.hint)
        table.add_row(f"{items[0].line or ''}", escape(items[0].point or ""), "; ".join(cells),
                      "; ".join(hints))
    out.print(table)


# --- sclearn review -------------------------------------------------------------------------------


@app.command("review")
def review(
    path: Annotated[Path, typer.Argument(help="The pledge file to review.")],
    point: Annotated[str | None, typer.Option(
        help="Record one point without questions: its number or id, or extra-N for the N-th "
        "extra point.")] = None,
    evidence: Annotated[list[str] | None, typer.Option(
        "--evidence", help="Evidence of improved practice (repeat for several).")] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Where each --evidence came from, e.g. MR (repeat in the same order, "
        "or give one for all).")] = None,
    progress: Annotated[str | None, typer.Option(
        help="positive-change, no-change or deterioration.")] = None,
    notes: Annotated[str, typer.Option(help="Notes for this point.")] = "",
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace progress and notes already recorded.")] = False,
    scaffold: Annotated[bool, typer.Option(
        "--scaffold", help="Add an empty, commented review block to every point with "
        "pledges, to fill in by hand.")] = False,
    date: Annotated[str | None, typer.Option(
        "--date", help="The date of the review (supervision), YYYY-MM-DD. Default: today.")
    ] = None,
    review_all: Annotated[bool, typer.Option(
        "--all", help="Also go through points already reviewed.")] = False,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never ask questions.")] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Record the six-month review: evidence of improved practice, its source, progress and
    notes, point by point. Saved as it goes; run it again to carry on."""
    from sclearn import review as rv
    from sclearn.checks import check_loaded

    day = _date_option(date, "--date")
    session = rv.Session(path, _catalogue_for_files(framework))
    if scaffold:
        added = rv.scaffold(session.doc, session.lp)
        session.save()
        out.print(f"Added {added} review blocks to {escape(str(path))}; fill them in, then run "
                  f"`sclearn check {escape(str(path))}`.")
    elif point is not None:
        target = rv.parse_target(session.lp, point)
        pairs = _evidence_pairs(evidence or [], source or [])
        rv.set_reviewed(session.doc, day)
        changes = session.record(target, rv.Entry(pairs, progress, notes), replace=replace)
        out.print(f"{escape(point)}: " + (", ".join(changes) if changes else "nothing new"))
    elif _interactive(no_input):
        todo = [i for i in rv.items(session.lp) if review_all or not i.reviewed]
        if not todo:
            out.print("Every point with pledges already has a review (use --all to revisit).")
        rv.walk(session, todo, lambda q: typer.prompt(q, default="", show_default=False),
                _show_item, day)
    else:
        raise UsageError("no terminal to ask questions in",
                         hint="record a point with --point, --evidence, --source and "
                         "--progress, or add blocks to fill in by hand with --scaffold")
    for note in session.doc.notes:  # what of the file's own layout could not be kept
        out.print(f"Note: {escape(note)}")
    report = check_loaded(session.lp, "2")
    _print_report(report)
    return EXIT_OK


def _date_option(value: str | None, name: str) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD",
                                 param_hint=name) from None


def _evidence_pairs(evidence: list[str], sources: list[str]) -> list[tuple[str, str]]:
    if evidence and not sources:
        raise UsageError("each --evidence needs a --source (for example --source MR)")
    if len(sources) == 1:
        sources = sources * len(evidence)
    if len(sources) != len(evidence):
        raise UsageError(f"{len(evidence)} --evidence but {len(sources)} --source given",
                         hint="give one --source for all, or one for each --evidence")
    return [(e, s.upper()) for e, s in zip(evidence, sources, strict=True)]


def _show_item(item: object) -> None:
    from sclearn.review import Item

    assert isinstance(item, Item)
    e = item.entry
    body = "[bold]Pledged[/bold]\n" + "\n".join(f"• {escape(x)}" for x in e.pledges)
    if e.signs_of_success:
        body += "\n[bold]Anticipated signs of success[/bold]\n" + "\n".join(
            f"• {escape(x)}" for x in e.signs_of_success)
    if e.review and (e.review.evidence or e.review.progress):
        body += "\n[bold]Already recorded[/bold]\n" + "\n".join(
            f"• {escape(x.text)} ({escape(x.source)})" for x in e.review.evidence)
        if e.review.progress:
            body += f"\nprogress: {escape(e.review.progress)}"
    out.print(Panel(body, title=escape(item.label), title_align="left"))


# --- sclearn due ---------------------------------------------------------------------------------


@app.command("due")
def due(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Pledge files or folders. Default: the current folder.")] = None,
    within: Annotated[int, typer.Option(
        help="Also list reviews due within this many days.")] = 30,
    fmt: Annotated[str, typer.Option("--format", help="text, json or csv.")] = "text",
    ics: Annotated[Path | None, typer.Option(
        help="Also write a calendar file (.ics) with one event per review.")] = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
) -> int:
    """List six-month reviews that are overdue or due soon, soonest first."""
    from sclearn.due import calendar, due_reviews

    _check_format(fmt, ("text", "json", "csv"))
    day = _as_of(as_of)
    reviews, problems = due_reviews(paths or [Path.cwd()], _catalogue_for_files(framework),
                                    day, within)
    rows = [r.as_row() for r in reviews]
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        _write_csv(rows, list(rows[0]) if rows else ["due", "status", "owner"])
    else:
        table = Table(title=f"Six-month reviews overdue or due by "
                      f"{day + dt.timedelta(days=within):%d %B %Y}")
        for col in ("due", "status", "owner", "line manager", "team", "file"):
            table.add_column(col, overflow="fold")
        for r in reviews:
            table.add_row(f"{r.due:%d %b %Y}", r.status, escape(r.owner),
                          escape(r.line_manager), escape(r.team), escape(r.path))
        out.print(table if reviews else "No reviews are overdue or due in that time.")
    if ics is not None:
        from sclearn.yamlio import replace_file

        replace_file(ics, calendar(reviews, day))
        err.print(f"Calendar with {len(reviews)} events written to {escape(str(ics))}")
    print_problems(problems)
    return EXIT_INVALID if problems else EXIT_OK


def _write_csv(rows: Sequence[Mapping[str, object]], columns: list[str]) -> None:
    import csv

    from sclearn.safety import spreadsheet_cell

    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})


# --- sclearn render -------------------------------------------------------------------------------


@app.command("render")
def render(
    paths: Annotated[list[Path], typer.Argument(help="Pledge files or folders.")],
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or html.")] = "html",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The report file, or a folder for one report per pledge. "
        "Default: one pledge to the screen, several beside their pledge files.")] = None,
    templates: Annotated[Path | None, typer.Option(
        help="A folder of the board's own templates (missing ones fall back to the "
        "built-in ones).")] = None,
    redact: RedactOpt = False,
    case_pattern: CasePatternOpt = None,
    as_of: AsOfOpt = None,
    framework: FrameworkOpt = None,
) -> int:
    """Make a Markdown or HTML report of each pledge, laid out like the form."""
    from sclearn.checks import find_pledge_files
    from sclearn.pledge import load_pledge
    from sclearn.privacy import redactor
    from sclearn.render import output_paths
    from sclearn.render import render as make_report
    from sclearn.yamlio import replace_file

    _check_format(fmt, ("md", "html"))
    cat = _catalogue_for_files(framework)
    day = _as_of(as_of)
    files = list(find_pledge_files(paths))
    if not files:
        raise UsageError("no *.pledge.yaml files found there")
    settings = _settings(paths[0])
    templates = templates or settings.resolve(settings.templates)
    if output is None and settings.output and len(files) > 1:
        output = settings.resolve(settings.output + "/")
    patterns = _case_patterns(case_pattern, paths[0])
    failed = False
    for source, target in zip(files, output_paths(files, fmt, output), strict=True):
        try:
            lp = load_pledge(source, cat)
            if not redact:
                _privacy_warning(lp, patterns)
            text = make_report(lp, fmt, templates=templates, as_of=day,
                               redact=redactor(patterns) if redact else None)
        except InvalidFileError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        if target is None:
            sys.stdout.write(text)
        else:
            replace_file(target, text.encode("utf-8"))
            err.print(f"wrote {escape(str(target))}")
    return EXIT_INVALID if failed else EXIT_OK


# --- sclearn collate ------------------------------------------------------------------------------


@app.command("collate")
def collate(
    paths: Annotated[list[Path], typer.Argument(help="Folders (or files) of pledge files.")],
    fmt: Annotated[str, typer.Option(
        "--format", help="md, html, json, csv or xlsx.")] = "md",
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The file to write. Default: the screen (xlsx needs -o).")
    ] = None,
    group_by: Annotated[str | None, typer.Option(
        help="Break the figures down by agency, district, team or kind.")] = None,
    anonymise: Annotated[bool, typer.Option(
        "--anonymise", help="Leave out names, members, contact details and line managers "
        "(agency and district stay), so the output can be shared.")] = False,
    framework: Annotated[str | None, typer.Option(
        "--framework", help="ID@VERSION: the framework edition to collate (default: the one "
        "most files use). Or a path: a board's own framework file or folder.")] = None,
    templates: Annotated[Path | None, typer.Option(
        help="A folder of the board's own templates (collate.md.j2, collate.html.j2).")
    ] = None,
    redact: RedactOpt = False,
    case_pattern: CasePatternOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Read every file again instead of using the cache.")] = False,
    as_of: AsOfOpt = None,
) -> int:
    """Collate many pledge files into a summary for the training team.

    Exit status 2 when some files could not be read (they are listed; the rest are counted)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from sclearn import collate as co
    from sclearn.render import render_collation

    _check_format(fmt, ("md", "html", "json", "csv", "xlsx"))
    if group_by is not None and group_by not in co.GROUP_BY:
        raise click.BadParameter(f"use one of {', '.join(co.GROUP_BY)}", param_hint="--group-by")
    if fmt == "xlsx" and output is None:
        raise UsageError("an xlsx workbook needs a file name", hint="add -o summary.xlsx")
    settings = _settings(paths[0])
    templates = templates or settings.resolve(settings.templates)
    extra = [Path(framework)] if framework and Path(framework).exists() else []
    choose = framework if framework and not extra else None
    catalogue = Catalogue.load(extra)
    options = co.Options(as_of=_as_of(as_of), framework=choose, group_by=group_by,
                         anonymise=anonymise, detail=fmt != "json", use_cache=not no_cache,
                         redact=redact or anonymise,
                         case_patterns=tuple(p.pattern for p in _case_patterns(case_pattern,
                                                                               paths[0])))
    show = not quiet and sys.stderr.isatty()
    with Progress("Collating", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("files", total=None)
        result = co.collate(paths, catalogue, options,
                            on_start=lambda n: bar.update(task, total=n),
                            on_progress=lambda n: bar.advance(task, n))
    try:
        if fmt == "xlsx":
            assert output is not None
            co.write_xlsx(result, output)
        elif fmt == "csv":
            # Streamed: the item table can be hundreds of megabytes at county scale.
            from sclearn.yamlio import atomic_output

            if output is None:
                co.write_csv(result, sys.stdout)
            else:
                with atomic_output(output) as handle:
                    co.write_csv(result, handle)
        elif fmt == "json":
            import json

            _emit(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n", output)
        else:
            _emit(render_collation(co.report_data(result), fmt, templates=templates), output)
    finally:
        result.close()
    if output is not None:
        err.print(f"wrote {escape(str(output))}: {result.files} files, "
                  f"{len(result.invalid)} could not be read")
    for bad in result.invalid:
        err.print(f"[yellow]could not be read:[/yellow] {escape(bad['path'])}: "
                  f"{escape(bad['error'])}")
    if result.privacy and not options.redact:
        err.print(f"[yellow]warning:[/yellow] {len(result.privacy)} files hold text that looks "
                  f"like personal data (for example {escape(result.privacy[0])}); check them "
                  "with `sclearn check`, or collate with --redact or --anonymise")
    return EXIT_INVALID if result.invalid else EXIT_OK


def _emit(text: str, output: Path | None) -> None:
    from sclearn.yamlio import replace_file

    if output is None:
        sys.stdout.write(text)
    else:
        replace_file(output, text.encode("utf-8"))


# --- editor schema, folder settings, framework editions -------------------------------------------


@app.command("schema")
def schema(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The file to write. Default: the screen.")] = None,
    framework: FrameworkOpt = None,
) -> int:
    """Write a JSON Schema of the pledge file for a framework edition, for editors that
    complete and validate as people type."""
    from sclearn.schema import schema_text

    _, fw = open_catalogue(framework or _settings().framework_spec)
    _emit(schema_text(fw), output)
    return EXIT_OK


@app.command("init")
def init(
    folder: Annotated[Path, typer.Argument(help="The folder of pledges.")] = Path("."),
) -> int:
    """Create a commented sclearn.toml (folder settings) and a .gitignore for the outputs."""
    from sclearn.settings import init as write_settings

    written = write_settings(folder)
    for path in written:
        out.print(f"wrote {escape(str(path))}")
    if not written:
        out.print("sclearn.toml and .gitignore are already there; nothing was changed.")
    return EXIT_OK


@app.command("migrate")
def migrate(
    paths: Annotated[list[Path], typer.Argument(help="Pledge files or folders.")],
    to: Annotated[str, typer.Option("--to", help="The framework version to move to.")],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would change, and change nothing.")] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Move pledges (and their reviews) onto a new edition of their framework."""
    from sclearn.checks import find_pledge_files
    from sclearn.migrate import migrate as run_migration
    from sclearn.pledge import parse_pledge
    from sclearn.yamlio import load_document, read_source, save_document

    cat = _catalogue_for_files(framework)
    failed = False
    for path in find_pledge_files(paths):
        try:
            source = read_source(path)
            lp = parse_pledge(source, cat)  # located messages before ruamel sees it
            doc = load_document(path, source)
            result = run_migration(lp, doc, cat, to, dt.date.today())
        except InvalidFileError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        if dry_run:
            sys.stdout.write(result.diff)
        else:
            save_document(doc)
        verb = "would move" if dry_run else "moved"
        out.print(f"{escape(str(path))}: {verb} to version {escape(to)}")
        for note in result.notes:
            out.print(f"  - {escape(note)}")
    return EXIT_INVALID if failed else EXIT_OK


def _settings(start: Path | None = None) -> Settings:
    from sclearn.settings import find

    return find(start)


def _report(exc: SclearnError) -> int:
    if isinstance(exc, InvalidFileError):
        if isinstance(exc, FrameworkError):
            err.print("[red]The framework file has problems:[/red]")
        print_problems(exc.problems)
    else:
        err.print(f"[red]error:[/red] {escape(exc.message)}")
        if exc.hint:
            err.print(f"    [dim]→ {escape(exc.hint)}[/dim]")
    return exc.exit_code


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error becomes a message and an exit status, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = app(args=args, prog_name="sclearn", standalone_mode=False)
    except SclearnError as exc:
        code = _report(exc)
    except click.exceptions.Abort:
        err.print("Stopped. Nothing unsaved was written.")
        code = 130
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        err.print("Stopped. Nothing unsaved was written.")
        code = 130
    except OSError as exc:  # a full disk, a read-only share, a folder where a file should be
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"[red]error:[/red] {escape(where)}{escape(exc.strerror or str(exc))}\n"
                  "    [dim]→ check the path, that the drive is connected and that you may "
                  "write there[/dim]")
        code = EXIT_INVALID
    except Exception as exc:  # the promise: no user ever sees a traceback
        if os.environ.get("SCLEARN_DEBUG"):
            raise
        err.print(f"[red]sclearn hit an unexpected problem:[/red] {escape(type(exc).__name__)}: "
                  f"{escape(str(exc))}\n    [dim]→ please report this to your training team; "
                  "run again with SCLEARN_DEBUG=1 to see the details[/dim]")
        code = 70
    else:
        code = result if isinstance(result, int) else EXIT_OK
    if argv is None:
        sys.exit(code)
    return code


__all__ = ["Framework", "app", "main"]
