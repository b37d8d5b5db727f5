"""Reports of many pledges: the use case behind `sclearn render`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.privacy import redactor, scan
from sclearn.exports.registry import FORMATS
from sclearn.exports.render import environment, output_paths, render
from sclearn.files.discover import find_pledge_files
from sclearn.files.pledges import load_pledge
from sclearn.files.write import guard_output, write_output
from sclearn.services.workspace import Workspace


@dataclass
class Rendered:
    """What became of one pledge: a report written, shown, or the problems that stopped it."""

    source: Path
    target: Path | None = None  # the report file; None when it goes to the screen
    text: str | None = None  # the report itself when it goes to the screen
    problems: list[Problem] = field(default_factory=list)  # why no report could be made
    personal_data: list[Problem] = field(default_factory=list)  # findings, when not redacted


def render_paths(
    ws: Workspace,
    paths: Sequence[Path],
    fmt: str,
    output: Path | None,
    *,
    templates: Path | None = None,
    as_of: dt.date | None = None,
    redact: bool = False,
    force: bool = False,
    anonymise: bool = False,
) -> Iterator[Rendered]:
    """Render each pledge found below ``paths``, writing reports as ``output`` says.

    One pledge without ``output`` goes to the screen; several go beside their pledge files,
    or into the folder settings' ``output`` folder. A pledge that cannot be read is reported
    and the others go on. Every report's place is checked by the output guard before any is
    written (``force`` lets a report replace a file of another kind, never a pledge).
    """
    files = list(find_pledge_files(paths))
    if not files:
        raise UsageError("no *.pledge.yaml files found there")
    settings = ws.settings
    templates = templates or settings.resolve(settings.templates)
    if output is None and settings.output and len(files) > 1:
        output = settings.resolve(settings.output + "/")
    form = FORMATS[fmt]
    suffixes = (form.suffix, *form.aliases)
    targets = output_paths(files, fmt, output)
    for target in targets:
        if target is not None:
            guard_output(target, suffixes, force=force)
    env = environment(templates)  # compiled once for the whole run
    redact = redact or anonymise
    mask = redactor(ws.case_patterns) if redact else None
    for source, target in zip(files, targets, strict=True):
        done = Rendered(source, target)
        try:
            lp = load_pledge(source, ws.catalogue)
        except InvalidFileError as exc:
            done.problems = exc.problems
            yield done
            continue
        if not redact:
            done.personal_data = scan(lp, ws.case_patterns)
        text = render(lp, fmt, as_of=as_of, redact=mask, env=env, anonymise=anonymise)
        if target is None:
            done.text = text
        else:
            write_output(target, text.encode("utf-8"), suffixes, force=force)
        yield done
