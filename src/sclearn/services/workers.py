"""Doing one job per file in worker processes, streamed back in order, stoppable at any moment.

Any job: a picklable callable, sent to each worker once (``check``'s reports, collation's
summaries). Workers start only when there are enough files to repay
starting them; below that, or on one core, the job runs in this process.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

# Below this many files a process pool costs more than it saves (starting two workers and
# importing sclearn in them takes about half a second).
POOL_THRESHOLD = 200

_JOB: Callable[[object], object] | None = None  # a worker's job, set by _init_worker


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Processes started meanwhile ignore Ctrl-C from their first instruction on.

    Ctrl-C in a terminal reaches every process of the job; only the main process may decide
    what happens (stop the workers). A worker handling it would print a traceback, or die and
    leave its files unreported so that the run waits forever. An ignored signal stays ignored
    across exec (the fork server) and fork (the workers it makes). This process blocks it
    meanwhile, so a Ctrl-C pressed now waits, and arrives when released.
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


def _init_worker(job: Callable[[object], object]) -> None:
    global _JOB
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # see _ctrl_c_held
    _JOB = job


# A polite stop (``terminate``, a closed terminal) waits while a worker does one file.
_STOPS = {getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)}


def _run(item: object) -> object:
    """The job for one file, with stops held until it is done: a report being written is
    finished, never cut short, so no temporary file is left behind. A stop that came meanwhile
    then ends the worker the moment they are released, as it would an idle one.

    Held by the system, not by a Python handler: a handler can run too late to wake a worker
    that has just begun waiting for its next file, and the run would wait forever."""
    assert _JOB is not None
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no polite stops to hold
        return _JOB(item)
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        return _JOB(item)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


def each(
    job: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int | None = None,
    threshold: int = POOL_THRESHOLD,
) -> Generator[R, None, None]:
    """``job(item)`` for each item, in order, in worker processes when there are at least
    ``threshold`` items and more than one core (or ``workers``).

    Items are read as they are needed, so a long listing is never held whole. Closing the
    iterator early (or an exception in its consumer, such as Ctrl-C) terminates the workers
    at once and waits for them, so nothing is left running or half-written.
    """
    it = iter(items)
    head = list(itertools.islice(it, threshold))
    count = workers if workers is not None else (os.cpu_count() or 1)
    if len(head) < threshold or count < 2:
        for item in itertools.chain(head, it):
            yield job(item)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "forkserver")
    pool = None
    try:
        with _ctrl_c_held():
            pool = ctx.Pool(count, _init_worker, (job,))
        # Results come back in order; chunks of 16 keep the messages few and memory small.
        for result in pool.imap(_run, itertools.chain(head, it), chunksize=16):
            yield cast(R, result)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
