"""Reading many files in worker processes, streamed back in order, stoppable at any moment.

The pool itself is ``services.workers``, shared with ``check``: workers start only when
there are enough files to repay starting them, and Ctrl-C stops them at once.
"""

from __future__ import annotations

import re
from collections.abc import Generator

from sclearn.files.frameworks import Catalogue
from sclearn.services.collate.summary import Reader, Result
from sclearn.services.workers import each


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
    reader = Reader(catalogue, detail, [re.compile(p) for p in case_patterns])
    return each(reader.read, todo, workers=workers)
