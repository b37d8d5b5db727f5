"""`sclearn framework list|show|check`: read the framework."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from sclearn.cli import options as opt
from sclearn.cli.app import COMMANDS, GuardedTyper, app
from sclearn.cli.options import (
    FormatOpt,
    FrameworkOpt,
)
from sclearn.cli.views import (
    bullet_tree,
    out,
    print_json,
    print_problems,
)
from sclearn.core.errors import (
    EXIT_INVALID,
    EXIT_OK,
)
from sclearn.exports import registry
from sclearn.files.frameworks import Catalogue, load_framework

framework_app = GuardedTyper(help=COMMANDS["framework"][1], no_args_is_help=True)
app.add_typer(framework_app, name="framework")

# --- sclearn framework ------------------------------------------------------------------------


@framework_app.command("list")
def framework_list(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE_OR_FOLDER...",
            help="Extra framework files or folders to include (a board's own).",
        ),
    ] = None,
    fmt: FormatOpt = "text",
) -> int:
    """List the frameworks available: id, version, title and number of points.

    \b
    Example:
      sclearn framework list
    """
    opt.check_format(fmt, registry.CHECK)
    cat = Catalogue.load(paths or [])
    rows = [
        {
            "id": f.id,
            "version": f.version,
            "title": f.title,
            "publisher": f.publisher,
            "areas": len(f.areas),
            "points": len(f.points),
            "source": str(cat.sources[f.ref]),
        }
        for f in cat.frameworks
    ]
    if fmt == "json":
        print_json(rows)
    else:
        table = Table(title="Frameworks")
        for col in ("id", "version", "title", "areas", "points"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(
                *(escape(str(r[c])) for c in ("id", "version", "title", "areas", "points"))
            )
        out.print(table)
    for e in cat.errors:
        print_problems(e.problems)
    return EXIT_INVALID if cat.errors else EXIT_OK


@framework_app.command("show")
def framework_show(
    item: Annotated[
        str | None,
        typer.Argument(
            metavar="POINT_OR_DOMAIN",
            help="A point (number or id), or a professional-dimension domain (worker, agency, "
            "inter-agency). Without it: the overview of areas and points.",
        ),
    ] = None,
    framework: FrameworkOpt = None,
    fmt: FormatOpt = "text",
) -> int:
    """Show a point's key points and detail, a domain of the professional dimension, or the
    overview; what a team reads when it discusses the points in stage 1 (i).

    \b
    Example:
      sclearn framework show 4
    """
    opt.check_format(fmt, registry.CHECK)
    fw = opt.workspace(None, framework).framework
    domains = {
        d.id: d for d in (fw.professional_dimension.domains if fw.professional_dimension else [])
    }
    if item in domains:
        domain = domains[item]
        if fmt == "json":
            print_json(domain.model_dump())
            return EXIT_OK
        out.print(
            Panel(
                escape(fw.professional_dimension.title if fw.professional_dimension else ""),
                title=escape(domain.title),
            )
        )
        for dim in domain.dimensions:
            out.print(bullet_tree(dim.title, dim.considerations))
        return EXIT_OK
    if item is None:
        if fmt == "json":
            print_json(
                {
                    "id": fw.id,
                    "version": fw.version,
                    "title": fw.title,
                    "areas": [
                        {
                            "id": a.id,
                            "number": a.number,
                            "title": a.title,
                            "points": [
                                {"id": p.id, "number": p.number, "title": p.title} for p in a.points
                            ],
                        }
                        for a in fw.areas
                    ],
                }
            )
            return EXIT_OK
        out.print(
            f"[bold]{escape(fw.title)}[/bold]\n{escape(fw.publisher)} · "
            f"{escape(fw.edition)} · version {escape(fw.version)}\n"
        )
        for area in fw.areas:
            table = Table(
                title=f"{area.number}) {escape(area.title)}",
                title_justify="left",
                show_header=True,
                expand=False,
            )
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
    out.print(
        Panel(
            f"[bold]{escape(point.title)}[/bold]",
            title=f"Point {point.number} · {escape(point.id)}",
            subtitle=f"Area {area.number}: {escape(area.title)}",
        )
    )
    if point.key_points:
        out.print(
            bullet_tree(fw.table.columns[0] if fw.table.columns else "Key points", point.key_points)
        )
    if point.additional_detail:
        label = fw.table.columns[1] if len(fw.table.columns) > 1 else "Additional detail"
        out.print(bullet_tree(label, point.additional_detail))
    return EXIT_OK


@framework_app.command("check")
def framework_check(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A framework file to validate.")],
) -> int:
    """Validate a board's own framework file and report every mistake with its line.

    \b
    Example:
      sclearn framework check our-board-framework.yaml
    """
    fw = load_framework(path)
    out.print(
        f"{escape(str(path))}: OK — {escape(fw.ref)}, {len(fw.areas)} areas, "
        f"{len(fw.points)} points, evidence sources {', '.join(fw.evidence_sources)}"
    )
    return EXIT_OK
