"""`sclearn init`: folder settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sclearn.cli.app import app
from sclearn.cli.views import (
    out,
)
from sclearn.core.errors import (
    EXIT_OK,
)


@app.command("init")
def init(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="The folder of pledges.")] = Path(
        "."
    ),
) -> int:
    """Create a commented sclearn.toml (folder settings) and a .gitignore for the outputs.

    \b
    Example:
      sclearn init pledges/
    """
    from sclearn.files.settings import init as write_settings

    written = write_settings(folder)
    for path in written:
        out.print(f"wrote {escape(str(path))}")
    if not written:
        out.print("sclearn.toml and .gitignore are already there; nothing was changed.")
    return EXIT_OK
