"""Per-file summaries kept between runs, in a SQLite file in the user's cache folder.

Never beside the pledges: that may be a shared drive. An entry is used only when

* the file's size, modification time, inode and device are unchanged, and it was last
  modified safely before it was read (see RACY_NS);
* the key matches: sclearn's version, this cache format, Python's version (entries are
  marshal'd), the privacy patterns, the bytes of every framework file, and the source of the
  code that makes summaries. A changed framework or a changed program rebuilds every entry,
  never serves old figures;
* its checksum is right: a damaged entry is read again from the file (and replaced).

The cache only ever saves time. A damaged, unreadable or read-only cache is bypassed (and a
damaged one removed, so the next run starts afresh); the reason is kept in ``problem`` for one
short note, and the figures are the same as without a cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import marshal
import os
import sqlite3
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sclearn import __version__
from sclearn.files.frameworks import Catalogue
from sclearn.services.collate.summary import Item, Summary, Unreadable

# Bump when the table or the stored summaries change shape; it names the file, so versions
# never read each other's entries.
FORMAT = 5
# A cached summary is trusted only if the file was last changed at least this long before the
# summary was made: a same-size edit inside the file system's timestamp granularity (2 s on
# FAT and some network drives) could otherwise go unnoticed.
RACY_NS = 3_000_000_000
_FLUSH_EVERY = 500
_CHUNK = 500  # paths per query: under SQLite's oldest limit of 999 parameters
_FIELDS = [f.name for f in dataclasses.fields(Summary)]


def cache_dir() -> Path:
    """The user's cache folder for sclearn (SCLEARN_CACHE_DIR overrides it)."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("SCLEARN_CACHE_DIR") or user_cache_dir("sclearn", False))


@functools.cache
def code_fingerprint() -> str:
    """A digest of sclearn's own source: the code that reads files and makes summaries."""
    package = Path(__file__).resolve().parents[2]
    h = hashlib.sha256(__version__.encode())
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return h.hexdigest()


def cache_key(catalogue: Catalogue, case_patterns: tuple[str, ...] = ()) -> str:
    """Changes whenever a framework file, the privacy patterns or sclearn itself change."""
    # marshal's format may change with Python's version: another Python starts afresh.
    python = f"{sys.version_info[:2]}:{marshal.version}"
    h = hashlib.sha256(f"{FORMAT}:{python}:{code_fingerprint()}:{case_patterns!r}".encode())
    for ref in sorted(catalogue.sources):
        h.update(ref.encode() + b"\0" + catalogue.sources[ref].read_bytes())
    return h.hexdigest()


def stat_key(st: os.stat_result) -> str:
    """What of a file's status says it has not changed: size, time and inode."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_dev}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc) or type(exc).__name__


class _Damaged(ValueError):
    """A stored entry that is not what this code wrote."""


# Entries are marshal'd tuples, several times quicker to load than JSON through pydantic:
# a warm run loads one per file. Only this code writes them (its source is in the key), so
# the shape is known; a checksum catches a damaged entry before marshal ever sees it.
def _pack(value: tuple[Any, ...] | str) -> bytes:
    data = marshal.dumps(value)
    return zlib.crc32(data).to_bytes(4, "big") + data


def _unpack(blob: object) -> object:
    if not isinstance(blob, bytes) or blob[:4] != zlib.crc32(blob[4:]).to_bytes(4, "big"):
        raise _Damaged
    return marshal.loads(blob[4:])


def _stored(summary: Summary) -> tuple[Any, ...]:
    """A summary as the tuple ``_summary`` reads back (not dataclasses.astuple: it deep-copies
    every value, about 120 µs a file in the process that gathers a cold run's results)."""
    return tuple([getattr(summary, name) for name in _FIELDS])


def _summary(value: object) -> Summary | Unreadable:
    """A summary from its stored tuple (points as tuples); an error message for a file that
    is not a valid pledge file."""
    if isinstance(value, str):
        return Unreadable(value, lasting=True)
    if not isinstance(value, tuple):
        raise _Damaged
    return Summary(*value)  # the points are stored as the tuples they are


class Cache:
    """Summaries by file path. Every failure disables it and is remembered, never raised."""

    def __init__(self, key: str, folder: Path | None = None) -> None:
        self.key = key
        self.problem: str | None = None
        self.pending: list[tuple[bytes, str, str, int, bytes, bytes | None]] = []
        self.db: sqlite3.Connection | None = None
        folder = folder or cache_dir()
        self.file = folder / f"collate-v{FORMAT}.sqlite"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.file)
            self._create()
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc, damaged=isinstance(exc, sqlite3.DatabaseError))

    def _create(self) -> None:
        assert self.db is not None
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS summaries (path BLOB PRIMARY KEY, "
            "stat TEXT, key TEXT, read_at INTEGER, summary BLOB, items BLOB)"
        )
        try:
            # Fails now, not halfway, if the table has another shape.
            self.db.execute(
                "SELECT path, stat, key, read_at, summary, items FROM summaries LIMIT 1"
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such column" not in str(exc):
                raise
            self.problem = "it was made by another program; it has been started afresh"
            with self.db:
                self.db.execute("DROP TABLE summaries")
            self._create()

    def _give_up(self, exc: BaseException, *, damaged: bool = False) -> None:
        if self.problem is None:
            self.problem = _reason(exc)
        self.pending.clear()
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None
        if damaged and not isinstance(exc, sqlite3.OperationalError):
            # A damaged file would fail every run; the next one starts a fresh cache.
            with contextlib.suppress(OSError):
                self.file.unlink(missing_ok=True)

    def fresh(self, want_items: bool) -> dict[bytes, tuple[str, int]]:
        """Each cached path's stat key and read time, for entries this run can use."""
        if self.db is None:
            return {}
        try:
            rows = self.db.execute(
                "SELECT path, stat, read_at FROM summaries WHERE key = ?"
                + (" AND items IS NOT NULL" if want_items else ""),
                (self.key,),
            ).fetchall()
            return {bytes(path): (str(st), int(at)) for path, st, at in rows}
        except (sqlite3.Error, TypeError, ValueError) as exc:
            self._give_up(exc, damaged=True)
            return {}

    @staticmethod
    def usable(entry: tuple[str, int] | None, st: os.stat_result) -> bool:
        """Whether a cached entry may be used for a file in this state."""
        if entry is None or entry[0] != stat_key(st):
            return False
        # Changed too close to when it was read: a same-size edit could hide; read it again.
        return st.st_mtime_ns + RACY_NS <= entry[1]

    def summaries(
        self, entries: list[tuple[bytes, tuple[str, int]]], want_items: bool
    ) -> Iterator[tuple[Summary | Unreadable, list[Item]] | None]:
        """For each (path, its entry from ``fresh``, judged usable), in order: the cached
        summary (and texts), or None if it cannot be used after all (read the file again).

        One query per _CHUNK paths, each read whole before the next: memory stays flat, and
        no query is open while ``put`` writes. An entry that changed since ``fresh`` (another
        run wrote it meanwhile) is not used."""
        for start in range(0, len(entries), _CHUNK):
            chunk = entries[start : start + _CHUNK]
            rows = self._rows([path for path, _ in chunk])
            for path, entry in chunk:
                row = rows.get(path)
                yield None if row is None or row[:2] != entry else self._load(row, want_items)

    def _rows(self, paths: list[bytes]) -> dict[bytes, tuple[str, int, object, object]]:
        if self.db is None:
            return {}
        try:
            found = self.db.execute(
                "SELECT path, stat, read_at, summary, items FROM summaries WHERE key = ? "
                f"AND path IN ({', '.join('?' * len(paths))})",
                (self.key, *paths),
            ).fetchall()
            return {bytes(path): (st, at, summary, items) for path, st, at, summary, items in found}
        except (sqlite3.Error, TypeError, ValueError) as exc:
            if self.problem is None:
                self.problem = _reason(exc)
            return {}

    def _load(
        self, row: tuple[str, int, object, object], want_items: bool
    ) -> tuple[Summary | Unreadable, list[Item]] | None:
        try:
            summary = _summary(_unpack(row[2]))
            if isinstance(summary, Unreadable) or not want_items:
                return summary, []
            items = _unpack(row[3])
            if not isinstance(items, tuple):
                raise _Damaged
            return summary, [Item(*item) for item in items]
        except (ValueError, TypeError, EOFError, LookupError, AttributeError):
            # Only a damaged entry fails here: this code wrote it (see _pack).
            self.problem = self.problem or "an entry is damaged"
            return None

    def put(
        self,
        path: str,
        st: os.stat_result,
        read_at: int,
        summary: Summary | Unreadable,
        items: list[Item] | None,
    ) -> None:
        """Remember one file's summary, or its lasting error (written out by ``flush``)."""
        if self.db is None:
            return
        texts: bytes | None = _pack(())  # an Unreadable has no texts
        if isinstance(summary, Unreadable):
            blob = _pack(summary.error)
        else:
            blob = _pack(_stored(summary))
            texts = None if items is None else _pack(tuple(map(tuple, items)))
        self.pending.append((os.fsencode(path), stat_key(st), self.key, read_at, blob, texts))
        if len(self.pending) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the summaries gathered so far to the cache database."""
        if self.db is None or not self.pending:
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?)", self.pending
                )
        except (sqlite3.Error, ValueError) as exc:  # a read-only folder or file, a full disk
            self._give_up(exc)
        self.pending.clear()

    def close(self) -> None:
        """Flush and close the cache; a cache that fails is let go with a note."""
        self.flush()
        if self.db is not None:
            self.db.close()
            self.db = None
