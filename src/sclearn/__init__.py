"""sclearn: Developing and Improving Practice Pledges, kept as plain files.

This module is the library's public API; everything in the sub-packages is internal and may
change. The command line is a thin layer over it, and a training team can use it from a
notebook::

    import datetime as dt
    from pathlib import Path

    import sclearn

    catalogue = sclearn.Catalogue.load()
    reports = [sclearn.check_file(p, catalogue)
               for p in sclearn.find_pledge_files([Path("pledges")])]
    options = sclearn.CollateOptions(as_of=dt.date.today())
    figures = sclearn.collate([Path("pledges")], catalogue, options).as_json()

Names are imported on first use, so `import sclearn` (and the command line's start-up) stays
quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> (module, attribute); loaded lazily by __getattr__ below.
_API = {
    "Catalogue": ("sclearn.files.frameworks", "Catalogue"),
    "load_framework": ("sclearn.files.frameworks", "load_framework"),
    "Framework": ("sclearn.core.framework", "Framework"),
    "Pledge": ("sclearn.core.pledge", "Pledge"),
    "LoadedPledge": ("sclearn.core.pledge", "LoadedPledge"),
    "load_pledge": ("sclearn.files.pledges", "load_pledge"),
    "find_pledge_files": ("sclearn.files.discover", "find_pledge_files"),
    "FileReport": ("sclearn.core.completeness", "FileReport"),
    "check_file": ("sclearn.services.check", "check_file"),
    "CollateOptions": ("sclearn.services.collate", "Options"),
    "collate": ("sclearn.services.collate", "collate"),
    "render": ("sclearn.exports.render", "render"),
    "Problem": ("sclearn.core.errors", "Problem"),
    "SclearnError": ("sclearn.core.errors", "SclearnError"),
    "UsageError": ("sclearn.core.errors", "UsageError"),
    "InvalidFileError": ("sclearn.core.errors", "InvalidFileError"),
    "ConflictError": ("sclearn.core.errors", "ConflictError"),
}

if TYPE_CHECKING:
    from sclearn.core.completeness import FileReport
    from sclearn.core.errors import (
        ConflictError,
        InvalidFileError,
        Problem,
        SclearnError,
        UsageError,
    )
    from sclearn.core.framework import Framework
    from sclearn.core.pledge import LoadedPledge, Pledge
    from sclearn.exports.render import render
    from sclearn.files.discover import find_pledge_files
    from sclearn.files.frameworks import Catalogue, load_framework
    from sclearn.files.pledges import load_pledge
    from sclearn.services.check import check_file
    from sclearn.services.collate import Options as CollateOptions
    from sclearn.services.collate import collate


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'sclearn' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*_API, "__version__"])


__all__ = [
    "Catalogue",
    "CollateOptions",
    "ConflictError",
    "FileReport",
    "Framework",
    "InvalidFileError",
    "LoadedPledge",
    "Pledge",
    "Problem",
    "SclearnError",
    "UsageError",
    "__version__",
    "check_file",
    "collate",
    "find_pledge_files",
    "load_framework",
    "load_pledge",
    "render",
]
