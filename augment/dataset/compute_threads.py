"""One compute thread per writer process: the thread pools of the numeric libraries are
held to one thread while a run makes its examples, and restored afterwards.

An example's matrix products, remaps and filters are too small to gain from threads. A
BLAS pool's idle threads spin-wait after every call (two workers took 12-45% more CPU per
example than one), and OpenCV's pool spread a one-worker `augment images` run over 1.14
cores, so `--workers 1` was not one core's worth and two workers oversubscribed the cores
(benchmarks/README.md, "One BLAS thread per writer process" and "OpenCV's threads").
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


@contextmanager
def one_compute_thread() -> Iterator[None]:
    """BLAS and OpenMP pools (threadpoolctl) and OpenCV's own pool at one thread. OpenCV is
    only limited if it is loaded already: importing it here would cost every run that never
    uses it (the audio commands)."""
    with threadpool_limits(limits=1), _opencv_threads(1):
        yield


@contextmanager
def _opencv_threads(count: int) -> Iterator[None]:
    cv2 = sys.modules.get("cv2")
    if cv2 is None:
        yield
        return
    before = cv2.getNumThreads()
    cv2.setNumThreads(count)
    try:
        yield
    finally:
        cv2.setNumThreads(before)
