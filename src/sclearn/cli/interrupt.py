"""Ctrl-C that stops long work cleanly: at a safe point, never halfway through a write.

Python turns Ctrl-C into KeyboardInterrupt wherever the program happens to be: inside a
clean-up, a library's finaliser (where it is printed and swallowed) or between writing a file
and removing its temporary twin. Inside ``stop_on_ctrl_c()`` Ctrl-C only asks to stop; the
work calls ``check()`` at safe points, which raises KeyboardInterrupt there. A second Ctrl-C
stops at once, for work that no longer reaches a safe point.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class StopRequest:
    """Whether Ctrl-C was pressed; ``check()`` raises KeyboardInterrupt if it was."""

    def __init__(self) -> None:
        self.asked = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """The SIGINT handler: the first Ctrl-C asks to stop, a second one stops at once."""
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True

    def check(self) -> None:
        """Raise KeyboardInterrupt here if Ctrl-C was pressed: a safe point to stop."""
        if self.asked:
            raise KeyboardInterrupt


@contextlib.contextmanager
def stop_on_ctrl_c() -> Iterator[StopRequest]:
    """Ctrl-C asks the work to stop at its next ``check()`` (main thread only)."""
    stop = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, stop.handle)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
