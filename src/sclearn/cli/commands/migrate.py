"""`sclearn migrate`: move pledges onto a new framework edition."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli import options as opt
from sclearn.cli.app import app
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
    InvalidFileError,
)


@app.command("migrate")
def migrate(
    paths: Annotated[list[Path], typer.Argument(help="Pledge files or folders.")],
    to: Annotated[str, typer.Option("--to", help="The framework version to move to.")],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would change, and change nothing.")] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Move pledges (and their reviews) onto a new edition of their framework."""
    from sclearn.files.decode import read_source
    from sclearn.files.discover import find_pledge_files
    from sclearn.files.pledges import parse_pledge
    from sclearn.files.roundtrip import load_document, save_document
    from sclearn.services.migrate import migrate as run_migration

    cat = opt.workspace(paths[0] if paths else None, framework).catalogue
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


