"""File names for new pledges: readable in the person's own script, safe on every system.

A name keeps its letters and digits, of any script, lower-cased; everything else becomes a
hyphen. That leaves out every character Windows, macOS or Linux refuse or treat specially
(``<>:"/\\|?*``, control characters, dots and spaces at the end), and every invisible one (a
right-to-left override could make ``exe.txt`` look like ``txt.exe``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".pledge.yaml"
MAX_BYTES = 60  # well inside every file system's 255-byte limit, with room for "-2" and SUFFIX
# Windows refuses these as a name before any dot, so "con.pledge.yaml" cannot be made there.
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_APOSTROPHES = re.compile("['\u2019\u02bc]")  # O'Brien is one word: obrien, not o-brien


def _clusters(text: str) -> list[str]:
    """Letters with the combining marks that follow them, so a cut never strips an accent."""
    out: list[str] = []
    for ch in text:
        if unicodedata.category(ch).startswith("M") and out and out[-1] != "-":
            out[-1] += ch
        elif not unicodedata.category(ch).startswith("M"):
            out.append(ch)
    return out


def slugify(name: str, fallback: str = "pledge") -> str:
    """A file name stem that is safe on every system and stays inside the target folder.

    "Zoë Ng" gives ``zoë-ng`` and "李小龍" gives ``李小龍``; a name with no letters or digits
    gives ``fallback``.
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", name).lower())
    kept = []
    for ch in text:
        kind = unicodedata.category(ch)
        if kind == "Cf":  # invisible: bidi controls, zero-width joiners
            continue
        kept.append(ch if kind[0] in "LMN" else "-")
    slug = unicodedata.normalize("NFC", re.sub("-+", "-", "".join(kept)).strip("-"))
    cut = ""
    for cluster in _clusters(slug):
        if len((cut + cluster).encode("utf-8")) > MAX_BYTES:
            break
        cut += cluster
    slug = cut.strip("-") or fallback
    if slug in _WINDOWS_RESERVED:
        slug += "-pledge"
    return slug


@dataclass
class FileNames:
    """Distinct file names for one batch: never a file already on disk, nor one given to an
    earlier row; each change of name comes with a note saying why."""

    folder: Path
    taken: set[str] = field(default_factory=set)  # file names given in this batch
    first_row: dict[str, int] = field(default_factory=dict)  # plain name -> first row with it
    _plain: dict[str, str] = field(default_factory=dict)  # chosen file name -> its plain name

    def choose(self, name: str, row: int) -> tuple[Path, list[str]]:
        """The path for ``row``'s pledge, and a note when it is not the plain name."""
        base = slugify(name, fallback=f"pledge-row-{row}")
        plain = base + SUFFIX
        stem, number = base, 1
        while (stem + SUFFIX) in self.taken or (self.folder / (stem + SUFFIX)).exists():
            number += 1
            stem = f"{base}-{number}"
        path = self.folder / (stem + SUFFIX)
        self._plain[path.name] = plain
        if stem == base:
            return path, []
        why = []
        if plain not in self.taken:  # then it is on disk, from before
            why.append(f"{plain} already exists")
        if plain in self.first_row:
            why.append(f"the name '{name}' gives the same file name as row {self.first_row[plain]}")
        return path, [f"{' and '.join(why)}, so this row was written as {path.name}"]

    def take(self, path: Path, row: int) -> None:
        """Mark a name as used, once its file is written."""
        self.taken.add(path.name)
        self.first_row.setdefault(self._plain.get(path.name, path.name), row)
