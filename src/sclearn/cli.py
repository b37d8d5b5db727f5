"""The `sclearn` command line: each command maps its options onto one library call.

All user-facing errors are ``SclearnError``s, turned into a message and an exit status by
``main`` alone. Set SCLEARN_DEBUG=1 to see a traceback instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from sclearn import __version__
from sclearn.console import bullet_tree, err, out, print_json, print_problems
from sclearn.errors import EXIT_INVALID, EXIT_OK, FrameworkError, InvalidFileError, SclearnError
from sclearn.framework import Catalogue, Framework, load_framework, open_catalogue

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
            table.add_row(*(escape(str(r[c])) for c in ("id", "version", "title", "areas", "points")))
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
