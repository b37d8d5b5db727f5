"""A pledge with content can be written as a file that reads back the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sclearn.files.decode import decode_source
from sclearn.files.frameworks import Catalogue
from sclearn.files.pledges import load_pledge, parse_pledge
from sclearn.services.compose import compose, write_pledge
from tests.conftest import EXAMPLES


def _decided(data: dict[str, Any]) -> dict[str, Any]:
    """The data with undecided reflection rows left out: the form lists every dimension."""
    data["reflection"] = {
        dom: {k: v for k, v in (dims or {}).items() if v and (v["balance"] or v["notes"])}
        for dom, dims in data["reflection"].items()
    }
    return data


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.pledge.yaml")), ids=lambda p: p.stem)
def test_a_composed_pledge_reads_back_equal(
    example: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    original = load_pledge(example, catalogue)
    target = tmp_path / "out.pledge.yaml"
    text = compose(original.framework, original.pledge, target)
    again = parse_pledge(decode_source(target, text.encode("utf-8")), catalogue)
    assert _decided(again.pledge.model_dump()) == _decided(original.pledge.model_dump())
    # It reads like a file made by `sclearn new`: the form's prompts are there as comments.
    assert "# Developing and Improving Practice Pledge" in text


def test_awkward_text_is_stored_exactly(catalogue: Catalogue, tmp_path: Path) -> None:
    lp = load_pledge(EXAMPLES / "sarah-whitfield.pledge.yaml", catalogue)
    entry = lp.pledge.points["child-focus"]
    assert entry is not None
    awkward = [
        "see the child alone # always",
        "record: their words",
        "- a leading dash",
        "two\nlines",
        "'quoted'",
        "tab\there",
        "yes",
        "~",
        "null",
        "1.0",
        "first line\n\tindented with a tab",
        "  leading spaces\nand more  ",
    ]
    entry.pledges = awkward
    path = write_pledge(lp.framework, lp.pledge, tmp_path)
    again = load_pledge(path, catalogue)
    point = again.pledge.points["child-focus"]
    assert point is not None and point.pledges == awkward


def test_write_pledge_never_overwrites(catalogue: Catalogue, tmp_path: Path) -> None:
    from sclearn.core.errors import ConflictError

    lp = load_pledge(EXAMPLES / "sarah-whitfield.pledge.yaml", catalogue)
    first = write_pledge(lp.framework, lp.pledge, tmp_path)
    before = first.read_bytes()
    with pytest.raises(ConflictError):
        write_pledge(lp.framework, lp.pledge, tmp_path)
    assert first.read_bytes() == before
