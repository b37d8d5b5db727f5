"""`--help` in words, `new`'s check command whole, and an editor that agrees with `check`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from sclearn.exports.schema import pledge_schema

COMMANDS = [
    ["check"],
    ["new"],
    ["review"],
    ["due"],
    ["render"],
    ["collate"],
    ["init"],
    ["migrate"],
    ["schema"],
    ["framework", "list"],
    ["framework", "show"],
    ["framework", "check"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_speaks_in_words_at_80_columns(
    run,
    command: list[str],  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    r = run(*command, "--help")
    assert r.code == 0
    # no <str>, <list[str]> or {paths}...
    assert not re.search(r"<\w+(\[\w+\])?>|\{[a-z_]+\}\.\.\.", r.out), r.out
    assert re.search(r"Examples?:\n +sclearn " + " ".join(command), r.out), r.out
    assert all(len(line) <= 80 for line in r.out.split("\n")), r.out


def test_help_lists_allowed_values(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "80")
    said = " ".join(run("check", "--help").out.split())
    assert "--stage STAGE" in said and "1, 2 or auto" in said
    assert "--privacy LEVEL" in said and "warn (default), strict" in said
    assert "--as-of DATE" in said and "FILE_OR_FOLDER..." in said
    said = " ".join(run("review", "--help").out.split())
    assert "positive-change, no-change or deterioration" in said and "SR (self report)" in said


def test_new_prints_the_check_command_whole(
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    folder = tmp_path / "my pledges" / "a folder with a long name to wrap the line"
    r = run("new", "--name", "Sam Patel", "--kind", "individual", "-o", folder, "--no-input")
    assert r.code == 0
    path = folder / "sam-patel.pledge.yaml"
    assert f"  sclearn check '{path}'" in r.out.split("\n")


def _editor_reads(text: str) -> object:
    """The file as an editor's YAML reads it: numbers and booleans as such, dates as text
    (JSON, which the editor checks against, has no dates)."""

    def plain(x: object) -> object:
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list):
            return [plain(v) for v in x]
        return x.isoformat() if isinstance(x, dt.date) else x

    return plain(YAML(typ="safe").load(text))


def test_the_editor_accepts_what_check_accepts(run, new_file, fw) -> None:  # type: ignore[no-untyped-def]
    schema = pledge_schema(fw)
    text = new_file().read_text(encoding="utf-8")
    text = text.replace('version: "1.0"', "version: 1.0").replace('phone: ""', "phone: 01629533190")
    text = text.replace('role: ""', "role: true")
    jsonschema.validate(_editor_reads(text), schema)
    path = new_file("Other Person")
    path.write_text(text.replace("Sam Patel", "Other Person"), encoding="utf-8")
    assert run("check", path, "--format", "json").code == 1  # incomplete, but valid
    wrong = text.replace("version: 1.0", "version: 2.0")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_editor_reads(wrong), schema)


def test_hover_titles_are_words(fw) -> None:  # type: ignore[no-untyped-def]
    schema = pledge_schema(fw)
    titles = re.findall(r'"title": "([^"]*)"', json.dumps(schema))
    assert "Point" in titles and "Review due" in titles and "Line manager" in titles
    assert not [t for t in titles if re.search(r"[a-z][A-Z]|\|\|", t)], titles
