"""The `sclearn` command line: each command maps its options onto one library call.

All user-facing errors are ``SclearnError``s, turned into a message and an exit status by
``main`` alone. Set SCLEARN_DEBUG=1 to see a traceback instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group_from_info

from sclearn import __version__
from sclearn.cli.boundary import F, guarded
from sclearn.cli.views import out

# Each command's module under sclearn.cli.commands, and the first sentence of its help (what
# `sclearn --help` shows): the root help lists every command without importing any of them,
# and a command's module, with what it imports, loads only when that command runs.
# tests/test_startup.py checks these sentences against the commands' own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "check",
        "Report whether each pledge is complete, with every problem located and what to do.",
    ),
    "collate": (
        "collate",
        "Collate many pledge files into a summary for the training team.",
    ),
    "due": (
        "due",
        "List six-month reviews not finished yet (in progress or not started) that are "
        "overdue or due soon, soonest first; write calendars with reminders for line "
        "managers.",
    ),
    "export": (
        "export",
        "Write the Appendix 1 form of each pledge as a Word document, filled in with what the"
        " pledge holds, to fill in and bring back with `sclearn import`.",
    ),
    "fill": (
        "fill",
        "Fill in stage 1 point by point: good practice, pledges, what will help and hinder, "
        "signs of success.",
    ),
    "import": (
        "import_",
        "Read filled-in Appendix 1 forms (made by `sclearn export`, or laid out like the "
        "seed's own form) into new pledge files, or into an existing one with --into.",
    ),
    "init": (
        "init",
        "Create a commented sclearn.toml (folder settings) and a .gitignore for the outputs.",
    ),
    "migrate": (
        "migrate",
        "Move pledges (and their reviews) onto a new edition of their framework.",
    ),
    "new": (
        "new",
        "Create a pledge file for an individual or a team, ready to fill in by hand.",
    ),
    "render": (
        "render",
        "Make a Markdown or HTML report of each pledge, laid out like the form.",
    ),
    "review": (
        "review",
        "Record the six-month review: evidence of improved practice, its source, progress, "
        "verdicts on the signs of success and notes, point by point.",
    ),
    "schema": (
        "schema",
        "Write a JSON Schema of the pledge file for a framework edition, for editors that "
        "complete and validate as people type.",
    ),
    "signoff": (
        "signoff",
        "Record that a stage was agreed (signed off), with a digest of what was agreed, so "
        "that `sclearn check` can say if it changes afterwards.",
    ),
    "status": (
        "status",
        "Show where every pledge stands (draft, stage 1 complete, stage 1 signed off, review "
        "due, review in progress, overdue, reviewed, stage 2 signed off, changed since sign-"
        "off), grouped per line manager, with counts.",
    ),
    "framework": (
        "framework",
        "Read the framework: its areas, points and guidance.",
    ),
}


class _LazyGroup(TyperGroup):
    """The root group: a command's module is imported when that command is asked for."""

    # Click's Context, Command and HelpFormatter are typer's own private copies (see
    # tests/test_exits.py), so they are written as Any here.
    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS:
            # A mistyped name: typer suggests one of the commands it has, so give it them all.
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            cmd = self.commands.get(name)
            if cmd is None and name in COMMANDS:
                cmd = TyperCommand(name, help=COMMANDS[name][1])
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _load(self, name: str) -> None:
        importlib.import_module(f"sclearn.cli.commands.{COMMANDS[name][0]}")
        self.add_command(build(name), name)


def build(name: str) -> Any:
    """The click command (or group) for one of ``app``'s commands, once its module is loaded."""
    style: dict[str, Any] = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    for info in app.registered_commands:
        if info.name == name:
            return get_command_from_info(info, **style)
    for group in app.registered_groups:
        if group.name == name:
            return get_group_from_info(group, suggest_commands=app.suggest_commands, **style)
    raise LookupError(name)  # pragma: no cover  (a name in COMMANDS its module did not register)


def load_all() -> None:
    """Import every command's module (tests and documentation list them all)."""
    for module, _ in COMMANDS.values():
        importlib.import_module(f"sclearn.cli.commands.{module}")


class GuardedTyper(typer.Typer):
    """Every command registered here goes through ``guarded``: one check of all text
    parameters, and stops and closed pipes handed to the boundary, for every command."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        """Register a command, guarded."""
        register = super().command(*args, **kwargs)

        def decorator(func: F) -> F:
            register(guarded(func))
            return func

        return decorator


app = GuardedTyper(
    name="sclearn",
    help="Developing and Improving Practice Pledges: create, check, review, render and collate "
    "pledge files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=_LazyGroup,
)


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
