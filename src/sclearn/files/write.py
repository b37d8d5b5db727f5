"""The one place files are written.

Every write goes to a temporary file beside the target, is flushed to the disk and renamed over
the target only when complete, so a crash leaves the old file whole; the temporary file is
removed on every way out. There are three kinds of write:

- ``create_file``: a new file (a pledge from ``new``, settings, a schema); never overwrites.
- ``replace_pledge``: a pledge's own rewrite (``review``, ``migrate``). Under a lock file beside
  the pledge, only if the file is unchanged since it was read, through a link to the real file,
  keeping the file's mode, and never over a read-only pledge.
- ``write_output`` / ``output_file`` / ``stream_output``: a report, calendar, collation or
  schema, through ``guard_output``: never over a pledge, and over an existing file only if it
  has the output's own suffix (or ``force`` is given).

New files get the mode the umask gives (0666 less the umask), so colleagues sharing a folder can
open them; a rewrite keeps the existing file's mode.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import random
import re
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import IO

from sclearn.core.errors import ConflictError, InvalidFileError, SclearnError, UsageError
from sclearn.files.decode import max_file_bytes, read_regular
from sclearn.files.discover import PLEDGE_SUFFIX

# What sclearn writes as outputs; an existing file with one of these is an earlier output.
OUTPUT_SUFFIXES = (".html", ".htm", ".md", ".json", ".csv", ".xlsx", ".parquet", ".ics")
LOCK_WAIT = 30.0  # seconds a save waits for another sclearn saving the same pledge
_PLEDGE_HEAD = 64 * 1024  # how much of an existing output is read to see if it is a pledge
_PLEDGE_RE = re.compile(rb"^(?:\xef\xbb\xbf)?sclearn[ \t]*:", re.MULTILINE)


class WriteError(SclearnError):
    """A file could not be written; the message names it and says what was kept."""


def new_file_mode() -> int:
    """The mode a new file gets: 0666 less the umask, as any other program would give it."""
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


def _real(path: Path) -> Path:
    """The file a path names, through any links, so a rewrite keeps the link."""
    return Path(os.path.realpath(path))


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


# --- errors: name the user's file, never the temporary one ------------------------------------

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def _write_error(path: Path, exc: OSError, existed: bool) -> WriteError:
    kept = f"{path} is unchanged" if existed else f"nothing was written to {path}"
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        return WriteError(
            f"{path}: could not be saved: the disk is full ({reason})",
            hint=f"{kept}; free some space, then run again",
        )
    if exc.errno in _DENIED:
        folder = path.parent if str(path.parent) else Path(".")
        return WriteError(
            f"{path}: could not be saved: sclearn may not write in the folder {folder} ({reason})",
            hint=f"{kept}; ask for write access to the folder, or choose another one",
        )
    return WriteError(f"{path}: could not be saved: {reason}", hint=kept)


@contextlib.contextmanager
def _named_errors(path: Path, existed: bool) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise _write_error(path, exc, existed) from exc


# --- the temporary file -----------------------------------------------------------------------


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _stop_signals_as_interrupts() -> Iterator[None]:
    """While a temporary file exists, a polite stop (closing the terminal window, a kill)
    raises KeyboardInterrupt like Ctrl-C does, so the cleanup below still runs."""
    names = ("SIGTERM", "SIGHUP")
    wanted = [getattr(signal, n) for n in names if hasattr(signal, n)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, _interrupt) for s in wanted}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _temp_file(target: Path, mode: int, commit: Callable[[Path], None]) -> Iterator[IO[bytes]]:
    """A binary file to fill; when the block ends it is synced, given ``mode`` and passed to
    ``commit`` (which renames or links it into place). Removed whatever happens."""
    with _stop_signals_as_interrupts():
        # The name is kept from the instant the file exists, and removed with no code between
        # the ``finally`` and the removal, so an interruption at any moment leaves nothing.
        name = ""
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(name, mode)
            commit(Path(name))
        finally:
            if name:
                try:  # noqa: SIM105 (contextlib.suppress would run code before the removal)
                    os.unlink(name)
                except OSError:
                    pass  # renamed into place, or never made


def _remove_stale_temps(real: Path) -> None:
    """Temporary files a killed sclearn left beside this pledge (called under its lock, so no
    living sclearn is writing one)."""
    pattern = re.compile(rf"\.{re.escape(real.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(real.parent):
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


# --- the lock beside a pledge -----------------------------------------------------------------

_HELD: dict[str, int] = {}  # lock files this process holds, and how deeply, so locks can nest


def _lock_path(real: Path) -> Path:
    return real.with_name(f".{real.name}.lock")


def _try_lock(fd: int) -> bool:
    """True when the lock was taken; also True where the file system has no locks at all
    (the digest check still refuses a write over someone else's change)."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True


def _acquire(path: Path, lock: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        with _named_errors(path, existed=True):
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, new_file_mode())
        if _try_lock(fd):
            # The last holder removes the lock file as it lets go: a lock taken on a file that
            # is no longer there (or was made anew) locks nothing, so try again.
            with contextlib.suppress(OSError):
                now, held = os.stat(lock), os.fstat(fd)
                if (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                    return fd
        os.close(fd)
        if time.monotonic() > deadline:
            raise ConflictError(
                f"{path}: another sclearn is saving this file, so nothing was written",
                hint="run the command again in a moment",
            )
        time.sleep(random.uniform(0.002, 0.02))


@contextlib.contextmanager
def pledge_lock(path: Path, timeout: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock file beside a pledge (``.NAME.lock``) for a read-change-write.

    Another sclearn saving the same pledge waits up to ``timeout`` seconds. The lock is
    released by the system if sclearn dies, and the file is removed when it is let go.
    """
    real = _real(path)
    lock = _lock_path(real)
    key = str(lock)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    fd = _acquire(path, lock, timeout)
    _HELD[key] = 1
    try:
        yield
    finally:
        del _HELD[key]
        if sys.platform != "win32":  # Windows cannot remove a file another process has open
            with contextlib.suppress(OSError):
                os.unlink(lock)
        os.close(fd)


# --- the kinds of write -----------------------------------------------------------------------


def refuse_read_only(path: Path) -> None:
    """Stop before any work when a pledge cannot be written by this user."""
    real = _real(path)
    st = _stat(real)
    if st is None:
        return  # reading it will say what is wrong
    if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise WriteError(f"{path} is read-only; ask its owner or make it writable, then run again")


def _digest(real: Path) -> str | None:
    try:
        raw = read_regular(real, max_file_bytes())
    except InvalidFileError:
        return None
    return hashlib.sha256(raw).hexdigest() if raw is not None else None


def replace_pledge(path: Path, raw: bytes, *, expected_digest: str) -> None:
    """A pledge's own rewrite: refused if the file changed since it was read (its digest was
    ``expected_digest``). The file a link points to is written and the link kept."""
    real = _real(path)
    with pledge_lock(path):
        refuse_read_only(path)
        st = _stat(real)
        if st is None or _digest(real) != expected_digest:
            raise ConflictError(
                f"{path}: changed on disk after sclearn read it, so it was not overwritten",
                hint="nothing was lost: open the file to see the other change, then run the "
                "command again",
            )
        _remove_stale_temps(real)
        with (
            _named_errors(path, existed=True),
            _temp_file(real, stat.S_IMODE(st.st_mode), lambda tmp: os.replace(tmp, real)) as handle,
        ):
            handle.write(raw)


def _link_new(path: Path) -> Callable[[Path], None]:
    def commit(tmp: Path) -> None:
        try:
            # A hard link fails if the name exists: an atomic "create, never overwrite".
            os.link(tmp, path)
        except FileExistsError:
            raise ConflictError(
                f"{path}: already exists; sclearn never overwrites a file",
                hint="choose another name with -o, or remove the old file yourself",
            ) from None
        except OSError:
            # No hard links here (some network drives): claim the name, then fill it.
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                raise ConflictError(
                    f"{path}: already exists; sclearn never overwrites a file"
                ) from None
            os.replace(tmp, path)

    return commit


def create_file(path: Path, raw: bytes) -> None:
    """Write a new file; refused (ConflictError) if anything has that name already."""
    if os.path.lexists(path):  # the usual case, found before writing anything
        _link_new(path)(path)
    with (
        _named_errors(path, existed=False),
        _temp_file(path, new_file_mode(), _link_new(path)) as handle,
    ):
        handle.write(raw)


def _looks_like_pledge(real: Path) -> bool:
    if real.name.lower().endswith(PLEDGE_SUFFIX):
        return True
    try:
        head = read_regular(real, _PLEDGE_HEAD, head=True)
    except InvalidFileError:
        return False
    return bool(head and _PLEDGE_RE.search(head))


def guard_output(
    path: Path, suffixes: Sequence[str] = OUTPUT_SUFFIXES, *, force: bool = False
) -> None:
    """Refuse an output that would replace a pledge (never allowed), a folder or a device, or
    an existing file without one of ``suffixes`` (allowed with ``force``)."""
    real = _real(path)
    parent = _stat(real.parent)
    if parent is not None and not stat.S_ISDIR(parent.st_mode):  # -o FILE taken as a folder
        path = path.parent
        real = real.parent
    if path.name.lower().endswith(PLEDGE_SUFFIX) or _looks_like_pledge(real):
        raise UsageError(
            f"{path}: is a pledge file, and sclearn never writes an output over a pledge",
            hint=f"choose an output name ending {suffixes[0]}" if suffixes else None,
        )
    if parent is not None and not stat.S_ISDIR(parent.st_mode):
        raise UsageError(f"{path}: is a file, not a folder", hint="give a folder for -o")
    st = _stat(real)
    if st is None:
        return
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{path}: is a folder", hint="give a file name inside it")
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(
            f"{path}: is not a regular file, so sclearn will not replace it",
            hint="leave out -o and redirect the screen output instead",
        )
    if not force and not real.name.lower().endswith(tuple(s.lower() for s in suffixes)):
        ends = (
            ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
            if len(suffixes) > 1
            else "".join(suffixes)
        )
        raise UsageError(
            f"{path}: already exists and its name does not end {ends}, so it was not replaced",
            hint="choose another name, or add --force to replace it",
        )


Check = Callable[[], None]


def _no_check() -> None:
    """Nothing stops the write."""


@contextlib.contextmanager
def output_file(
    path: Path,
    suffixes: Sequence[str] = OUTPUT_SUFFIXES,
    *,
    force: bool = False,
    check: Check = _no_check,
) -> Iterator[IO[bytes]]:
    """A binary file to write an output into; it replaces ``path`` only when complete.

    ``check`` is called just before the rename: an exception from it (a stop the user asked
    for) leaves the old file as it was and no temporary file behind."""
    guard_output(path, suffixes, force=force)
    real = _real(path)
    with _named_errors(path, existed=False):
        real.parent.mkdir(parents=True, exist_ok=True)
    st = _stat(real)
    mode = stat.S_IMODE(st.st_mode) if st else new_file_mode()

    def commit(tmp: Path) -> None:
        check()
        os.replace(tmp, real)

    with _named_errors(path, existed=st is not None), _temp_file(real, mode, commit) as handle:
        yield handle


@contextlib.contextmanager
def stream_output(
    path: Path,
    suffixes: Sequence[str] = OUTPUT_SUFFIXES,
    *,
    force: bool = False,
    check: Check = _no_check,
) -> Iterator[IO[str]]:
    """A UTF-8 text file to stream a large output into; it replaces ``path`` when complete."""
    with output_file(path, suffixes, force=force, check=check) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()  # the binary file is synced and closed by output_file


def write_output(
    path: Path,
    raw: bytes,
    suffixes: Sequence[str] = OUTPUT_SUFFIXES,
    *,
    force: bool = False,
    check: Check = _no_check,
) -> None:
    """Write an output file (a report, a calendar, a schema) atomically."""
    with output_file(path, suffixes, force=force, check=check) as handle:
        handle.write(raw)


def atomic_write(path: Path, raw: bytes, *, expected_digest: str | None) -> None:
    """``create_file`` when ``expected_digest`` is None, else ``replace_pledge``."""
    if expected_digest is None:
        create_file(path, raw)
    else:
        replace_pledge(path, raw, expected_digest=expected_digest)
