"""Folder settings: an optional ``sclearn.toml`` found by walking up from a folder."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.core.source import Locations
from sclearn.core.validation import validate
from sclearn.files.write import atomic_write

FILENAME = "sclearn.toml"


class Settings(BaseModel):
    """What a team or board can set once for a folder of pledges."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: str | None = None  # ID, ID@VERSION, or a path relative to the settings file
    agency: str = ""
    district: str = ""
    review_after_months: Annotated[int, Field(ge=1, le=60)] | None = None
    templates: str | None = None
    case_reference_patterns: list[str] = []
    output: str | None = None  # folder for reports
    require_signoff: list[Literal[1, 2]] = []  # stages that must be signed off to be complete
    path: Path | None = Field(default=None, exclude=True)  # where these settings came from

    def resolve(self, value: str | None) -> Path | None:
        """A path from the settings, relative to the settings file's folder."""
        if not value:
            return None
        path = Path(value)
        return path if path.is_absolute() or self.path is None else self.path.parent / path

    @property
    def framework_spec(self) -> str | None:
        """The framework setting, with a path made relative to the settings file."""
        if self.framework and (self.framework.endswith((".yaml", ".yml")) or "/" in self.framework):
            resolved = self.resolve(self.framework)
            return str(resolved) if resolved else None
        return self.framework


def find(start: Path | None = None) -> Settings:
    """The nearest ``sclearn.toml`` at or above ``start`` (default: the current folder)."""
    folder = (start or Path.cwd()).resolve()
    if folder.is_file() or not folder.exists():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        path = candidate / FILENAME
        if path.is_file():
            return load(path)
    return Settings()


def _locations(text: str) -> Locations:
    """TOML parsers give no positions; find each top-level key's line by eye."""
    locs = Locations()
    for number, line in enumerate(text.split("\n"), start=1):
        m = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if m:
            locs.keys[(m.group(1),)] = (number, 1)
    return locs


def load(path: Path) -> Settings:
    """Read and validate a ``sclearn.toml``; an unknown key is named with the nearest valid one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise InvalidFileError(
            [Problem("is not UTF-8", path, 1, hint="re-save it as UTF-8")]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise InvalidFileError(
            [Problem(f"is not valid TOML: {exc}", path, int(line.group(1)) if line else None)]
        ) from None
    except OSError as exc:
        raise InvalidFileError([Problem(f"cannot be read: {exc.strerror}", path)]) from None
    model = validate(Settings, data, _locations(text), path, "settings")
    assert isinstance(model, Settings)
    return model.model_copy(update={"path": path})


TEMPLATE = """\
# sclearn settings for this folder and the folders below it.
# Every setting is optional: delete or comment out what you do not need.

# The framework new pledges use: an id, id@version, or the path of a board's own file.
# framework = "derbyshire-scr@1.0"

# Filled in for every new pledge (`sclearn new` options still win).
# agency = "Derbyshire County Council"
# district = "Amber Valley"

# Months from the start of a pledge to its review (the framework says 6).
# review_after_months = 6

# A folder of the board's own report templates (see `sclearn render --help`).
# templates = "templates"

# Case reference formats the personal-data check looks for, as regular expressions.
# case_reference_patterns = ['CP-\\d{6}']

# Where `sclearn render` writes reports.
# output = "reports"

# Stages that count as complete only once signed off by the line manager (`sclearn signoff`).
# require_signoff = [1, 2]
"""

GITIGNORE = """\
# Made by sclearn: reports and collations can be made again from the pledge files.
build/
reports/
*.xlsx
"""


def init(folder: Path) -> list[Path]:
    """Write a commented sclearn.toml and a .gitignore; never overwrite either."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    written = []
    for name, text in ((FILENAME, TEMPLATE), (".gitignore", GITIGNORE)):
        path = folder / name
        if path.exists():
            continue
        atomic_write(path, text.encode("utf-8"), expected_digest=None)
        written.append(path)
    return written
