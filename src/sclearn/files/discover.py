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
    for root in paths:
        # A folder named like a pledge file is reported as one ("is a folder"), not searched.
        if not root.is_dir() or root.name.endswith(PLEDGE_SUFFIX):
            yield root
            continue
        seen: set[tuple[int, int]] = set()
        found: list[Path] = []
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
            found += [Path(folder) / f for f in names if f.endswith(PLEDGE_SUFFIX)]
        yield from sorted(found)
