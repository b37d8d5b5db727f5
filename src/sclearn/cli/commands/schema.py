"""`sclearn schema`: the editor schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sclearn.cli import options as opt
from sclearn.cli.app import app
from sclearn.cli.options import (
    ForceOpt,
    FrameworkOpt,
)
from sclearn.cli.views import (
    emit,
)
from sclearn.core.errors import (
    EXIT_OK,
)


@app.command("schema")
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="The file to write. Default: the screen."
        ),
    ] = None,
    framework: FrameworkOpt = None,
    force: ForceOpt = False,
) -> int:
    """Write a JSON Schema of the pledge file for a framework edition, for editors that
    complete and validate as people type.

    \b
    Example:
      sclearn schema -o pledges/derbyshire-scr-1.0.schema.json
    """
    from sclearn.exports.schema import schema_text

    emit(schema_text(opt.workspace(None, framework).framework), output, (".json",), force=force)
    return EXIT_OK
