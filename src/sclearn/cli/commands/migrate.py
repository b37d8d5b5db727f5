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
    EXIT_OK,
    InvalidFileError,
    Problem,
    SclearnError,
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
    code = EXIT_OK
    moved = skipped = failed = 0
    # One file's problem never stops the batch: it is reported, and the rest go on.
    for path in find_pledge_files(paths):
        try:
            source = read_source(path)
            lp = parse_pledge(source, cat)  # located messages before ruamel sees it
            doc = load_document(path, source)
            result = run_migration(lp, doc, cat, to, dt.date.today())
            if not result.already and not dry_run:
                save_document(doc)
        except SclearnError as exc:
            problems = (exc.problems if isinstance(exc, InvalidFileError)
                        # A write conflict's message names the file already.
                        else [Problem(exc.message, None if str(path) in exc.message else path,
                                      hint=exc.hint)])
            print_problems(problems)
            code = max(code, exc.exit_code)
            failed += 1
            continue
        if result.already:
            skipped += 1
            out.print(f"{escape(str(path))}: skipped: already on version "
                      f"{escape(lp.framework.version)}")
            continue
        moved += 1
        if dry_run:
            sys.stdout.write(result.diff)
        verb = "would move" if dry_run else "moved"
        out.print(f"{escape(str(path))}: {verb} to version {escape(to)}")
        for note in result.notes:
            out.print(f"  - {escape(note)}")
    summary = [f"{moved} {'would move' if dry_run else 'moved'}"]
    if skipped:
        summary.append(f"{skipped} skipped (already on version {escape(to)})")
    if failed:
        summary.append(f"{failed} could not be moved (see above)")
    out.print(", ".join(summary))
    return code
