"""The `sclearn` command line: each command maps its options onto one library call.

All user-facing errors are ``SclearnError``s, turned into a message and an exit status by
``main`` alone. Set SCLEARN_DEBUG=1 to see a traceback instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from sclearn import __version__
from sclearn.cli.boundary import F, guarded
from sclearn.cli.views import out


class _Typer(typer.Typer):
    """Every command registered here goes through ``guarded``: one check of all text
    parameters, and stops and closed pipes handed to the boundary, for every command."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(func: F) -> F:
            register(guarded(func))
            return func

        return decorator


app = _Typer(
    name="sclearn",
    help="Developing and Improving Practice Pledges: create, check, review, render and collate "
    "pledge files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
framework_app = _Typer(
    help="Read the framework: its areas, points and guidance.", no_args_is_help=True
)
app.add_typer(framework_app, name="framework")


def _version(value: bool) -> None:
    if value:
        out.print(f"sclearn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and stop."
        ),
    ] = False,
) -> None:
    """Developing and Improving Practice Pledges, kept as plain files."""
