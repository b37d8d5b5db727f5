"""The README documents every command (a test that fails when a command is added undocumented)."""

from __future__ import annotations

import typer.main

from sclearn.cli import app

from .conftest import ROOT


def command_names() -> list[str]:
    # Groups are recognised by their commands (recent typer has its own group class).
    # Commands load when asked for, so ask the group for each (as `sclearn NAME` does).
    root = typer.main.get_command(app)
    ctx = root.make_context("sclearn", ["--help"], resilient_parsing=True)
    names = []
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        cmd = root.get_command(ctx, name)  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            names += [f"{name} {sub}" for sub in cmd.commands]
        else:
            names.append(name)
    return names


def test_every_command_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = command_names()
    assert {"new", "check", "framework show"} <= set(names)
    missing = [n for n in names if f"### `sclearn {n}" not in readme]
    assert not missing, f"undocumented commands: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:600]
    assert "make demo" in head and "make test" in head
