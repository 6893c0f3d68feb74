"""A bounded time for work on one article (or one batch), so that no input can hang a run.

Python cannot stop a thread from outside, so the hard limit uses the POSIX interval timer: in
the main thread of a process (the CLI, each worker of the local pool) ``SIGALRM`` interrupts the
step and :class:`ArticleTimeout` is raised inside it. Where no alarm is possible (a Dask worker
runs tasks in threads; Windows has no ``SIGALRM``) the limit is checked between steps instead,
which stops a slow article from going further but cannot interrupt a step that never returns.
That case is documented in docs/reliability.md.

Work inside a C extension (spaCy's parser over a batch) is interrupted when control comes back to
Python, which for spaCy is at the end of each component's call on a batch: the limit is then
late but still bounded.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_ARTICLE_TIMEOUT = 120.0
"""Seconds of analysis one article may take. A long article of 50,000 words parses in about
15 s on one slow core; two minutes leaves room for a loaded machine."""


class ArticleTimeout(BaseException):
    """The time for an article ran out. A ``BaseException`` so that a step's own broad
    ``except Exception`` cannot swallow it and carry on past the limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")
        self.seconds = seconds


def alarm_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block once ``seconds`` have passed.

    Without an alarm (see module docstring) the block runs to its end and the overrun is raised
    when it leaves, so the caller still records the article as timed out.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if not alarm_available():
        started = time.monotonic()
        yield
        if time.monotonic() - started > seconds:
            raise ArticleTimeout(seconds)
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise ArticleTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
