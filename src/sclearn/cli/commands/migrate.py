"""`sclearn migrate`: move pledges onto a new framework edition."""

from __future__ import annotations

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
)


@app.command("migrate")
def migrate(
    paths: Annotated[
        list[Path], typer.Argument(metavar="FILE_OR_FOLDER...", help="Pledge files or folders.")
    ],
    to: Annotated[
        str, typer.Option("--to", metavar="VERSION", help="The framework version to move to.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, and change nothing.")
    ] = False,
    framework: FrameworkOpt = None,
) -> int:
    """Move pledges (and their reviews) onto a new edition of their framework.

    \b
    Example:
      sclearn migrate pledges/ --to 1.1 --dry-run
    """
    from sclearn.services.migrate import migrate_paths

    ws = opt.workspace(paths[0] if paths else None, framework)
    code = EXIT_OK
    moved = skipped = failed = 0
    for result in migrate_paths(ws, paths, to, dry_run=dry_run):
        where = escape(str(result.path))
        if result.problems:
            print_problems(result.problems)
            code = max(code, result.exit_code)
            failed += 1
        elif result.already:
            skipped += 1
            out.print(f"{where}: skipped: already on version {escape(result.version)}")
        else:
            moved += 1
            if dry_run:
                sys.stdout.write(result.diff)
            out.print(f"{where}: {'would move' if dry_run else 'moved'} to version {escape(to)}")
            for note in result.notes:
                out.print(f"  - {escape(note)}")
    summary = [f"{moved} {'would move' if dry_run else 'moved'}"]
    if skipped:
        summary.append(f"{skipped} skipped (already on version {escape(to)})")
    if failed:
        summary.append(f"{failed} could not be moved (see above)")
    out.print(", ".join(summary))
    return code
