"""Loading a pledge file with every problem located."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.framework import Framework
from sclearn.core.pledge import LoadedPledge, Pledge, framework_problems
from sclearn.core.source import Locations, SourceText
from sclearn.core.validation import validate
from sclearn.files.decode import read_source
from sclearn.files.fastparse import is_careful
from sclearn.files.frameworks import Catalogue
from sclearn.files.parser import CAREFUL, Parser


def _framework_of(p: Pledge, catalogue: Catalogue, locs: Locations, path: Path) -> Framework:
    try:
        return catalogue.get(p.framework.id, p.framework.version)
    except Exception as exc:
        line, col = locs.find(("framework",))
        raise InvalidFileError(
            [
                Problem(
                    f"uses framework {p.framework.id}@{p.framework.version}, "
                    "which is not available",
                    path,
                    line,
                    col,
                    hint="give the board's framework file with --framework PATH",
                )
            ]
        ) from exc


def _labeller(data: Any, catalogue: Catalogue) -> Callable[[tuple[str | int, ...]], str | None]:
    """Names the point a location belongs to, from the framework the raw data names."""
    fw: Framework | None = None
    ref = data.get("framework") if isinstance(data, dict) else None
    if isinstance(ref, dict):
        with contextlib.suppress(UsageError):  # an unknown framework: no labels, that's all
            fw = catalogue.get(str(ref.get("id")), str(ref.get("version")))
    ids = {p.id for p in fw.points} if fw else set()

    def label(loc: tuple[str | int, ...]) -> str | None:
        if len(loc) >= 2 and loc[0] == "points" and fw is not None and loc[1] in ids:
            return fw.point_label(str(loc[1]))
        if len(loc) >= 2 and loc[0] == "extra_points" and isinstance(loc[1], int):
            return f"extra point {loc[1] + 1}"
        return None

    return label


def parse_pledge(src: SourceText, catalogue: Catalogue, parser: Parser = CAREFUL) -> LoadedPledge:
    """A pledge from text already read: parsed, validated, checked against its framework.

    A file another parser read that turns out not to be valid is read again by the careful
    one, so every message names its line as the careful path would."""
    if is_careful(parser):  # itself: it may keep the node tree (``files.parser.Composed``)
        return _parse_pledge(src, catalogue, parser)
    try:
        return _parse_pledge(src, catalogue, parser)
    except InvalidFileError:
        return _parse_pledge(src, catalogue, CAREFUL)


def _parse_pledge(src: SourceText, catalogue: Catalogue, parser: Parser) -> LoadedPledge:
    data, locs = parser.parse(src)
    model = validate(Pledge, data, locs, src.path, "a pledge file", _labeller(data, catalogue))
    assert isinstance(model, Pledge)
    fw = _framework_of(model, catalogue, locs, src.path)
    problems = framework_problems(model, fw, locs, src.path)
    if problems:
        raise InvalidFileError(problems)
    return LoadedPledge(src.path, model, fw, locs, src)


def load_pledge(path: Path, catalogue: Catalogue, parser: Parser = CAREFUL) -> LoadedPledge:
    """Read a pledge file; every way it can be wrong is an ``InvalidFileError``.

    ``FAST`` (``files.fastparse``) pays where lines are rarely asked for; a command that
    locates every warning (check, status, render) would read most files twice with it."""
    return parse_pledge(read_source(path), catalogue, parser)
