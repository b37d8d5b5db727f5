"""Reading many files in worker processes, streamed back in order, stoppable at any moment."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Generator, Iterator

from sclearn.files.frameworks import Catalogue
from sclearn.services.collate.summary import Reader, Result

# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 200

_READER: Reader | None = None  # a worker's reader, set by _init_worker


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Processes started meanwhile ignore Ctrl-C from their first instruction on.

    Ctrl-C in a terminal reaches every process of the job; only the main process may decide
    what happens (stop the workers). A worker handling it would print a traceback, or die and
    leave its files unreported so that the collation waits forever. An ignored signal stays
    ignored across exec (the fork server) and fork (the workers it makes). This process
    blocks it meanwhile, so a Ctrl-C pressed now waits, and arrives when released.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: the initializer ignores it instead
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _init_worker(catalogue: Catalogue, detail: bool, case_patterns: tuple[str, ...]) -> None:
    global _READER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # see _ctrl_c_held
    _READER = Reader(catalogue, detail, [re.compile(p) for p in case_patterns])


def _read(path: str) -> Result:
    assert _READER is not None
    return _READER.read(path)


def read_all(
    todo: list[str],
    catalogue: Catalogue,
    detail: bool,
    case_patterns: tuple[str, ...],
    workers: int | None,
) -> Generator[Result, None, None]:
    """A Result for each path of ``todo``, in order.

    Closing the iterator early (or an exception in its consumer, such as Ctrl-C) terminates
    the workers at once and waits for them, so nothing is left running or half-written.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    if len(todo) < POOL_THRESHOLD or count < 2:
        reader = Reader(catalogue, detail, [re.compile(p) for p in case_patterns])
        for path in todo:
            yield reader.read(path)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
    pool = None
    try:
        with _ctrl_c_held():
            pool = ctx.Pool(count, _init_worker, (catalogue, detail, case_patterns))
        yield from pool.imap(_read, todo, chunksize=16)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
