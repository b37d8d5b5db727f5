"""Reading a user's file: size, kind and encoding checked before any parsing."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from sclearn.core.errors import InvalidFileError, Problem
from sclearn.core.source import SourceText

DEFAULT_MAX_BYTES = 2_000_000
UTF8_BOM = b"\xef\xbb\xbf"

_RESAVE = "Re-save it as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)."


def max_file_bytes() -> int:
    """The largest file sclearn reads: SCLEARN_MAX_FILE_BYTES, or 2 MB."""
    value = os.environ.get("SCLEARN_MAX_FILE_BYTES", "")
    return int(value) if value.isdigit() else DEFAULT_MAX_BYTES


class NotTextError(InvalidFileError):
    """A file's bytes are not text sclearn reads (UTF-16, binary, another encoding): an error
    in what the file holds, as lasting as its bytes, unlike one in whether it can be read."""


def problem(
    src_path: Path,
    message: str,
    line: int | None = None,
    column: int | None = None,
    hint: str | None = None,
    error: type[InvalidFileError] = InvalidFileError,
) -> InvalidFileError:
    """One located problem about a file, as the error that carries it."""
    return error([Problem(message, src_path, line, column, hint=hint)])


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def read_regular(path: Path, limit: int, *, head: bool = False) -> bytes | None:
    """The bytes of a regular file, or None when it holds more than ``limit`` bytes (with
    ``head``: its first ``limit`` bytes).

    Opened without blocking (a named pipe would otherwise wait for a writer for ever) and
    checked with fstat on the opened file, so what is read is what was checked; at most
    ``limit + 1`` bytes are read, so a link to an endless device cannot fill the memory.
    Raises ``InvalidFileError`` for anything that is not a readable regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if path.is_symlink():
            raise problem(path, "is a link to a file that does not exist") from None
        raise problem(path, "no such file") from None
    except OSError as exc:
        if path.is_dir():  # Windows cannot open a folder at all
            raise problem(path, "is a folder, not a file") from None
        raise problem(path, f"cannot be read: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise problem(path, _kind(mode))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise problem(path, f"cannot be read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if head:
        return raw[:limit]
    return None if len(raw) > limit else raw


def read_source(path: Path, max_bytes: int | None = None) -> SourceText:
    """Read a user's file, turning every way it can be unreadable into one located message."""
    limit = max_bytes if max_bytes is not None else max_file_bytes()
    raw = read_regular(path, limit)
    if raw is None:
        try:
            size = f"{path.stat().st_size:,} bytes, "
        except OSError:
            size = ""
        raise problem(
            path,
            f"is {size}more than the limit of {limit:,} bytes",
            hint="a pledge file is normally a few kilobytes; set SCLEARN_MAX_FILE_BYTES to "
            "allow larger files",
        )
    return decode_source(path, raw)


def decode_source(path: Path, raw: bytes) -> SourceText:
    """Bytes as text: UTF-8 with or without a BOM; UTF-16, binary or other encodings refused."""
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and raw[1:2] == b"\x00"):
        raise problem(
            path, "is saved as UTF-16, which sclearn cannot read", 1, 1, _RESAVE, NotTextError
        )
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM) :] if bom else raw
    if b"\x00" in body:
        line = body[: body.index(b"\x00")].count(b"\n") + 1
        raise problem(path, "is a binary file, not a text file", line, error=NotTextError)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = body[exc.start : exc.start + 1].decode("cp1252", errors="replace")
        raise problem(
            path,
            f"is not UTF-8: the character {guess!r} on this line looks like Windows-1252, "
            "as older Windows editors save",
            line,
            column,
            hint=_RESAVE,
            error=NotTextError,
        ) from exc
    if "\r" not in text:  # the common case, and counting and replacing cost a third of this
        return SourceText(path, text, bom, "\n", digest, text)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    return SourceText(path, text.replace("\r\n", "\n"), bom, newline, digest, text)
