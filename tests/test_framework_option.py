"""`--framework` means the same in every command that takes it (the reshape's promise)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLES, Result

EXAMPLE = EXAMPLES / "sarah-whitfield.pledge.yaml"


def command_args(name: str, tmp: Path) -> list[str | Path]:
    """A valid call of each command that takes --framework, writing only under ``tmp``."""
    pledge = tmp / "p.pledge.yaml"
    if not pledge.exists():
        shutil.copy(EXAMPLE, pledge)
    return {
        "new": [
            "new",
            "--no-input",
            "--name",
            "Sam",
            "--kind",
            "individual",
            "--email",
            "s@example.org",
            "-o",
            tmp / "new",
        ],
        "check": ["check", pledge],
        "review": ["review", pledge, "--point", "1", "--notes", "n", "--replace"],
        "due": ["due", pledge],
        "render": ["render", pledge, "-o", tmp / "r.html"],
        "collate": ["collate", tmp, "--format", "json", "-o", tmp / "c.json"],
        "schema": ["schema", "-o", tmp / "s.json"],
        "migrate": ["migrate", pledge, "--to", "1.0", "--dry-run"],
        "framework show": ["framework", "show"],
    }[name]


COMMANDS = [
    "new",
    "check",
    "review",
    "due",
    "render",
    "collate",
    "schema",
    "migrate",
    "framework show",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_framework_path_is_refused_the_same_way(
    command: str, run: Callable[..., Result], tmp_path: Path
) -> None:
    args = command_args(command, tmp_path)
    result = run(*args, "--framework", "./nope.yaml")
    assert result.code == 2, result.text
    assert "--framework: there is no framework file or folder at ./nope.yaml" in result.err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unknown_framework_id_is_refused_the_same_way(
    command: str, run: Callable[..., Result], tmp_path: Path
) -> None:
    args = command_args(command, tmp_path)
    result = run(*args, "--framework", "nope@9")
    assert result.code == 2, result.text
    assert "framework nope@9 is not known" in result.err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_boards_own_framework_file_is_accepted(
    command: str, run: Callable[..., Result], tmp_path: Path
) -> None:
    args = command_args(command, tmp_path)
    result = run(*args, "--framework", DATA / "other-framework.yaml")
    # `migrate` to 1.0 of the board's framework is a different framework: refused per file,
    # but --framework itself was understood (no usage error).
    assert "--framework" not in result.err, result.text
    assert result.code in (0, 1, 2), result.text
    if command in ("new", "schema", "framework show"):
        assert result.code == 0, result.text


def test_the_board_framework_is_the_one_new_pledges_use(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run(
        "new",
        "--no-input",
        "--name",
        "Sam",
        "--kind",
        "individual",
        "--email",
        "s@example.org",
        "-o",
        tmp_path,
        "--framework",
        DATA / "other-framework.yaml",
    )
    assert result.code == 0, result.text
    written = (tmp_path / "sam.pledge.yaml").read_text(encoding="utf-8")
    assert "id: northshire-learning" in written


def test_collate_collates_the_edition_named(run: Callable[..., Result], tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.pledge.yaml")
    result = run("collate", tmp_path, "--format", "json", "--framework", "derbyshire-scr@1.0")
    assert result.code == 0, result.text
    assert '"collated": 1' in result.out
