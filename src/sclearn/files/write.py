"""The one place files are written: atomically, never over a file changed since it was read."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sclearn.core.errors import ConflictError


def atomic_write(path: Path, raw: bytes, *, expected_digest: str | None) -> None:
    """Write via a temporary file and a rename, so a crash leaves the old file whole.

    ``expected_digest`` is the digest of the bytes read earlier: the write is refused if the
    file changed since. ``None`` means the file must not exist yet.
    """
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if expected_digest is None:
            try:
                # A hard link fails if the name exists: an atomic "create, never overwrite".
                os.link(tmp, path)
            except FileExistsError:
                raise ConflictError(
                    f"{path}: already exists; sclearn never overwrites a file",
                    hint="choose another name with -o, or remove the old file yourself",
                ) from None
            except OSError:
                if path.exists():
                    raise ConflictError(
                        f"{path}: already exists; sclearn never overwrites a file") from None
                os.replace(tmp, path)
            return
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
            current = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            current = None
        if current != expected_digest:
            raise ConflictError(
                f"{path}: changed on disk after sclearn read it, so it was not overwritten",
                hint="nothing was lost: open the file to see the other change, then run the "
                "command again",
            )
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_file(path: Path, raw: bytes) -> None:
    """Write an output file (a report, a calendar) atomically, replacing any earlier one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """A text file to stream a large output into; it replaces ``path`` only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)

