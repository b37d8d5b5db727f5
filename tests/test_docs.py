"""The README documents every command (a test that fails when a command is added undocumented)."""

from __future__ import annotations

import click
import typer.main

from sclearn.cli import app

from .conftest import ROOT


def command_names() -> list[str]:
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    names = []
    for name, cmd in root.commands.items():
        if isinstance(cmd, click.Group):
            names += [f"{name} {sub}" for sub in cmd.commands]
        else:
            names.append(name)
    return names


def test_every_command_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [n for n in command_names() if f"### `sclearn {n}" not in readme]
    assert not missing, f"undocumented commands: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:600]
    assert "make demo" in head and "make test" in head
