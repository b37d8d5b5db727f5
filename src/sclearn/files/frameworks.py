"""Finding and loading framework files: the built-in ones and a board's own."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sclearn.core.errors import FrameworkError, InvalidFileError, Problem, UsageError
from sclearn.core.framework import Framework, duplicates, version_key
from sclearn.core.source import Locations
from sclearn.core.validation import validate
from sclearn.files.parser import load_plain
from sclearn.files.resources import builtin_framework_dir

ENV_PATH = "SCLEARN_FRAMEWORK_PATH"


def load_framework(path: Path) -> Framework:
    """Load and validate one framework file; every mistake is located."""
    try:
        data, locs, _ = load_plain(path)
        fw = validate(Framework, data, locs, path, "a framework")
    except InvalidFileError as exc:
        raise FrameworkError(exc.problems) from None
    assert isinstance(fw, Framework)
    problems = [_located(locs, path, loc, msg) for loc, msg in duplicates(fw)]
    if problems:
        raise FrameworkError(problems)
    return fw


def _located(locs: Locations, path: Path, loc: tuple[str | int, ...], msg: str) -> Problem:
    line, column = locs.find(loc)
    return Problem(msg, path, line, column)


@dataclass
class Catalogue:
    """The frameworks a command can use: the built-in ones, then a board's own files."""

    frameworks: list[Framework] = field(default_factory=list)
    errors: list[FrameworkError] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def load(cls, extra: Sequence[Path] = (), *, builtin: bool = True) -> Catalogue:
        """The built-in frameworks, those in SCLEARN_FRAMEWORK_PATH, then ``extra`` ones."""
        cat = cls()
        roots = [builtin_framework_dir()] if builtin else []
        roots += [Path(p) for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p]
        roots += list(extra)
        for root in roots:
            if not root.exists():
                cat.errors.append(FrameworkError([Problem("no such file or folder", root)]))
                continue
            files = sorted(root.rglob("*.yaml")) if root.is_dir() else [root]
            for file in files:
                try:
                    fw = load_framework(file)
                except FrameworkError as exc:
                    cat.errors.append(exc)
                    continue
                # A board's own file of the same id and version replaces the built-in one.
                cat.frameworks = [f for f in cat.frameworks if f.ref != fw.ref] + [fw]
                cat.sources[fw.ref] = file
        cat.frameworks.sort(key=lambda f: (f.id, version_key(f.version)))
        return cat

    def get(self, fid: str, version: str | None = None) -> Framework:
        """A framework by id (and version; default: the latest)."""
        matches = [f for f in self.frameworks if f.id == fid]
        if version is not None:
            matches = [f for f in matches if f.version == version]
        if not matches:
            known = ", ".join(f.ref for f in self.frameworks) or "none"
            wanted = f"{fid}@{version}" if version else fid
            raise UsageError(
                f"framework {wanted} is not known (known: {known})",
                hint="give a board's own framework file or folder with --framework PATH "
                f"or the {ENV_PATH} environment variable",
            )
        return matches[-1]

    def default(self) -> Framework:
        """The built-in framework's latest edition (or the latest of any)."""
        if not self.frameworks:
            raise UsageError("no framework is available")
        builtin = [f for f in self.frameworks if f.id == "derbyshire-scr"]
        return (builtin or self.frameworks)[-1]

    def choose(self, spec: str | None) -> Framework:
        """``ID``, ``ID@VERSION`` or nothing (the default)."""
        if not spec:
            return self.default()
        fid, _, version = spec.partition("@")
        return self.get(fid, version or None)
