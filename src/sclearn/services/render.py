"""Reports of many pledges: the use case behind `sclearn render`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.privacy import redactor, scan
from sclearn.exports.registry import FORMATS
from sclearn.exports.render import environment, output_paths, render
from sclearn.files.discover import find_pledge_files
from sclearn.files.fastparse import FAST
from sclearn.files.frameworks import Catalogue
from sclearn.files.parser import CAREFUL
from sclearn.files.pledges import load_pledge
from sclearn.files.write import guard_output, write_output
from sclearn.services.workers import each
from sclearn.services.workspace import Workspace


@dataclass
class Rendered:
    """What became of one pledge: a report written, shown, or the problems that stopped it."""

    source: Path
    target: Path | None = None  # the report file; None when it goes to the screen
    text: str | None = None  # the report itself when it goes to the screen
    problems: list[Problem] = field(default_factory=list)  # why no report could be made
    personal_data: list[Problem] = field(default_factory=list)  # findings, when not redacted


@dataclass
class _Job:
    """Reading and rendering one pledge: in a worker process, or in this one."""

    catalogue: Catalogue
    fmt: str
    templates: Path | None
    as_of: dt.date | None
    redact: bool
    anonymise: bool
    case_patterns: list[re.Pattern[str]]
    fast: bool  # many files: the fast parser, which reads a file again only to locate
    suffixes: tuple[str, ...] = ()  # what a report's file name may end with
    force: bool = False  # a report may replace a file of another kind (never a pledge)
    env: jinja2.Environment | None = None  # compiled once a run, and once a worker process

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "env": None}  # compiled templates do not travel to a worker

    def environment(self) -> jinja2.Environment:
        """The templates, compiled on first use."""
        if self.env is None:
            self.env = environment(self.templates)
        return self.env

    def __call__(self, item: tuple[Path, Path | None]) -> Rendered:
        """Read and render one pledge, and write its report when it has a ``target``: a
        worker process writes its own reports, so the main process is not left to write
        every report of the run alone while the workers wait."""
        source, target = item
        done = self.make(source)
        done.target = target
        if target is not None and done.text is not None:
            write_output(target, done.text.encode("utf-8"), self.suffixes, force=self.force)
            done.text = None
        return done

    def make(self, source: Path) -> Rendered:
        """The report on one pledge, or the problems that stopped it."""
        done = Rendered(source)
        try:
            lp = load_pledge(source, self.catalogue, FAST if self.fast else CAREFUL)
        except InvalidFileError as exc:
            done.problems = exc.problems
            return done
        if not self.redact:
            done.personal_data = scan(lp, self.case_patterns)
        mask = redactor(self.case_patterns) if self.redact else None
        done.text = render(
            lp,
            self.fmt,
            as_of=self.as_of,
            redact=mask,
            env=self.environment(),
            anonymise=self.anonymise,
        )
        return done


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
    job = _Job(
        ws.catalogue,
        fmt,
        templates,
        as_of,
        redact or anonymise,
        anonymise,
        list(ws.case_patterns),
        fast=len(files) > 1,
        suffixes=suffixes,
        force=force,
    )
    job.environment()  # a missing templates folder is said before any work
    # On a large folder, reports are made and written in worker processes; each comes back
    # in order, and a write that failed raises here, at its own file.
    results = each(job, zip(files, targets, strict=True))
    try:
        yield from results
    finally:
        results.close()  # stops the workers if this stopped early (Ctrl-C, a refused write)
