"""The `sclearn` command line: the Typer app, one module per command, one error boundary."""

from sclearn.cli.main import app, main

__all__ = ["app", "main"]
