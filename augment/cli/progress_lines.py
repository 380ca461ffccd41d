"""Progress off a terminal (pipes, nohup, CI logs): a line every few seconds.

A bar redrawn in place means nothing in a log file, and silence for an hour looks like a
hang: so a long run off a terminal prints done/total, the rate and the time left.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

EVERY_S = 5.0


class ProgressLines:
    """Counts finished examples and prints a line at most every `every` seconds."""

    def __init__(
        self,
        description: str,
        total: int,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        stream: TextIO | None = None,
    ) -> None:
        self.description, self.total, self.clock = description, total, clock
        self.every = EVERY_S if every is None else every
        self.stream = stream if stream is not None else sys.stderr
        self.done = self.made = 0
        self.start = self.last = clock()

    def advance(self, n: int, made: bool = True) -> None:
        """`n` more examples settled (`made`: in this run, not found done by a resume)."""
        self.done += n
        self.made += n if made else 0
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.made / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        percent = 100.0 * self.done / self.total if self.total else 100.0
        eta = "unknown" if left == float("inf") else _duration(left)
        return (
            f"{self.description}: {self.done}/{self.total} ({percent:.0f}%), "
            f"{rate:.0f}/s, {_duration(elapsed)} elapsed, {eta} left"
        )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
