"""The crash log: what a training team needs to fix an unexpected problem, in one file.

Like pre-commit's ``pre-commit.log``: the traceback never reaches the user's terminal, but it is
kept, with the versions and the command line, in the user's own log folder.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import sys
import traceback
from importlib import metadata
from pathlib import Path

# The libraries whose versions most often explain a problem.
LIBRARIES = (
    "typer",
    "pydantic",
    "ruamel.yaml",
    "PyYAML",
    "Jinja2",
    "rich",
    "platformdirs",
    "openpyxl",
    "icalendar",
)


def log_folder() -> Path:
    """``SCLEARN_LOG_DIR``, or the user's log folder (``~/.local/state/sclearn/log`` on Linux)."""
    given = os.environ.get("SCLEARN_LOG_DIR")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_log_dir("sclearn", appauthor=False))


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def report(exc: BaseException, argv: list[str]) -> str:
    """The log's text: when, what was typed, every version, then the traceback."""
    lines = [
        "sclearn crash log: please send this file to your training team.",
        "It includes the command as typed, so check it holds nothing confidential first.",
        "",
        f"time: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"command: {shlex.join(['sclearn', *argv])}",
        f"folder: {os.getcwd()}",
        f"sclearn: {_version('sclearn')}",
        f"python: {sys.version.replace(chr(10), ' ')} ({sys.executable})",
        f"os: {platform.platform()}",
        *(f"{name}: {_version(name)}" for name in LIBRARIES),
        "",
        *traceback.format_exception(exc),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write(exc: BaseException, argv: list[str]) -> Path:
    """Write the crash log and return its path; raises OSError when it cannot be written."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    # Bytes that were not UTF-8 on the command line are kept visible rather than refused.
    path.write_text(report(exc, argv), encoding="utf-8", errors="backslashreplace")
    return path
