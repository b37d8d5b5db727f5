"""Finding pledge files below the folders a user names."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

PLEDGE_SUFFIX = ".pledge.yaml"


def find_pledge_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Pledge files named directly, and every ``*.pledge.yaml`` below folders.

    Follows folder links but never the same folder twice (no symlink loops); an unreadable
    folder is skipped rather than stopping the search.
    """
    return map(Path, pledge_file_names(paths))


def pledge_file_names(paths: Iterable[Path]) -> Iterator[str]:
    """``find_pledge_files`` as strings, in the same order, with no Path made per file: a
    county has thousands, and a warm collation is quick enough for that to show."""
    for root in paths:
        # A folder named like a pledge file is reported as one ("is a folder"), not searched.
        if not root.is_dir() or root.name.endswith(PLEDGE_SUFFIX):
            yield str(root)
            continue
        seen: set[tuple[int, int]] = set()
        found: list[tuple[tuple[str, ...], str]] = []  # (what Path's order compares, path)
        for folder, dirs, files in os.walk(root, followlinks=True, onerror=lambda e: None):
            try:
                st = os.stat(folder)
            except OSError:
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen:
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            names = files + [d for d in dirs if d.endswith(PLEDGE_SUFFIX)]
            # str(Path(folder) / name), as Path would write it; Path sorts by its parts, each
            # compared in the case the file system uses (normcase).
            base = Path(folder)
            prefix, parts = (
                str(base) if base.parts else "",
                tuple(map(os.path.normcase, base.parts)),
            )
            found += [
                ((*parts, os.path.normcase(f)), os.path.join(prefix, f) if prefix else f)
                for f in names
                if f.endswith(PLEDGE_SUFFIX)
            ]
        found.sort()
        yield from (path for _, path in found)
