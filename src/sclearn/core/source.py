"""A file's text as read, and where each part of it stands: plain values with no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceText:
    """A file's text as read, with what is needed to write it back the same way."""

    path: Path
    text: str  # newlines as "\n", BOM removed
    bom: bool
    newline: str
    digest: str  # of the bytes on disk, to notice a change made by someone else
    original: str | None = None  # as decoded, with the file's own line endings

    @property
    def as_written(self) -> str:
        """The text with its own line endings (mixed or CR-only ones included), BOM removed."""
        return self.original if self.original is not None else self.text.replace("\n", self.newline)


@dataclass
class Locations:
    """Where each key and value of a parsed file starts (1-based line and column)."""

    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path_) -> tuple[int | None, int | None]:
        """The key's place if known, else the value's, else the nearest enclosing one."""
        if not self.keys and not self.values:  # a file read without its lines (collation)
            return None, None
        while True:
            for table in (self.keys, self.values):
                if path in table:
                    return table[path]
            if not path:
                return None, None
            path = path[:-1]
