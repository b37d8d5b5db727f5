"""A command loads only what it uses: `--help` and `check FILE` import no exporter's library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer.main

from sclearn.cli.app import COMMANDS, app, load_all
from sclearn.services.collate.cache import RACY_NS

from .conftest import ROOT

HEAVY = ["openpyxl", "jinja2", "docx", "xlsxwriter", "ruamel.yaml"]


def imported_after(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh `sclearn ARGS` has imported when it finishes."""
    code = (
        "import json, sys\n"
        "from sclearn.cli import main\n"
        f"main({list(args)!r})\n"
        "sys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, **(env or {})},
    )
    return set(json.loads(done.stderr.rsplit("\n", 1)[1]))


@pytest.mark.parametrize(
    "args",
    [["--help"], ["check", "examples/jo-hartley.pledge.yaml"]],
    ids=" ".join,
)
def test_a_command_imports_no_exporter(args: list[str]) -> None:
    modules = imported_after(*args)
    assert "sclearn.cli.commands.check" in modules or args == ["--help"]
    loaded = {m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}
    assert not loaded, loaded


def test_a_json_collation_imports_no_exporter() -> None:
    """jinja2 is for the md and html reports: a json collation (a warm one is quick) does
    without it."""
    modules = imported_after("collate", "examples", "--format", "json", "--no-cache")
    assert "sclearn.services.collate" in modules
    loaded = {m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")}
    assert not loaded, loaded


@pytest.mark.slow
def test_a_warm_collation_builds_no_pledge_model(tmp_path: Path) -> None:
    """A collation served from the cache reads no pledge, so the pledge models (a tenth of a
    warm run) are not built; a cold one builds them."""
    env = {"SCLEARN_CACHE_DIR": str(tmp_path / "cache")}
    args = ("collate", "examples", "--format", "json", "-o", str(tmp_path / "out.json"))
    cold = imported_after(*args, "--force", env=env)
    assert "sclearn.core.pledge" in cold
    time.sleep(RACY_NS / 1e9)  # entries for files changed just before being read are not used
    imported_after(*args, "--force", env=env)  # files old enough now: these entries are used
    warm = imported_after(*args, "--force", env=env)
    assert "sclearn.services.collate" in warm
    assert "sclearn.core.pledge" not in warm


def test_help_imports_no_command() -> None:
    modules = imported_after("--help")
    assert not {m for m in modules if m.startswith("sclearn.cli.commands.")}
    assert "sclearn.core.pledge" not in modules


def test_the_help_table_says_what_each_command_says() -> None:
    load_all()
    root = typer.main.get_command(app)
    ctx = root.make_context("sclearn", ["--help"], resilient_parsing=True)
    for name, (_, summary) in COMMANDS.items():
        cmd = root.get_command(ctx, name)  # type: ignore[attr-defined]
        assert cmd is not None, name
        assert cmd.get_short_help_str(1000) == summary, name


def test_plain_reports_read_as_rich_prints_them(catalogue) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from rich.console import Console

    from sclearn.cli.views import print_report, report_printer
    from sclearn.services.check import check_file

    for verbose in (False, True):
        for path in [
            *sorted((ROOT / "examples").glob("*.pledge.yaml")),
            ROOT / "missing.pledge.yaml",
        ]:
            report = check_file(path, catalogue, privacy="warn")
            rich_out, plain_out = StringIO(), StringIO()
            print_report(report, verbose=verbose, console=Console(file=rich_out, width=60))
            report_printer(verbose=verbose, console=Console(file=plain_out, width=60))(report)
            assert plain_out.getvalue() == rich_out.getvalue()
            assert report.path.name in plain_out.getvalue()


def test_a_line_said_off_a_terminal_is_its_plain_text_unwrapped() -> None:
    """``say`` writes what rich would print, minus colour, on one line however long; on a
    terminal rich prints it, in colour."""
    from io import StringIO

    from rich.console import Console

    from sclearn.cli.views import problem_line, say
    from sclearn.core.errors import Problem

    problem = Problem("a long message " * 12, Path("f.pledge.yaml"), 3, 1, hint="do [this]")
    markup = problem_line(problem)
    plain, rich_out = StringIO(), StringIO()
    say(markup, Console(file=plain, width=60))
    Console(file=rich_out, width=10_000).print(markup)
    assert plain.getvalue() == rich_out.getvalue()
    assert plain.getvalue().count("\n") == 2  # the problem, and what to do: not wrapped
    assert "do [this]" in plain.getvalue()
    coloured = StringIO()
    say(markup, Console(file=coloured, width=60, force_terminal=True))
    assert "\x1b[" in coloured.getvalue()
    quiet = StringIO()
    say(markup, Console(file=quiet, quiet=True))
    assert quiet.getvalue() == ""


def test_a_mistyped_command_is_still_suggested(run) -> None:  # type: ignore[no-untyped-def]
    r = run("chek", "x.pledge.yaml")
    assert r.code == 2 and "Did you mean 'check'" in r.err
