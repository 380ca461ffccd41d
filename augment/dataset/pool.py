"""Where examples are made: an executor maps work over jobs and gives results in job order.

The writer and its layouts see only the `Executor` protocol, so an executor on a cluster
engine can take the local process pool's place. Results come back in job order whatever
finishes first, which is what keeps the manifest in index order; jobs are taken lazily
from an iterable, a few per worker ahead of the results, so a run's jobs never all sit in
memory at once.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain, islice
from multiprocessing import get_context
from typing import Any, Protocol, TypeVar

from augment.core.errors import AugsynthError
from augment.dataset.compute_threads import one_compute_thread

CHUNK_SIZE = 64  # examples per job: big enough for make_batch, small enough to spread
JOB_SECONDS = 0.04  # a worker's time per job, once a forked run knows its pace (`job_size`)
MAX_JOB = 256  # examples per job at most, however quick they are
AHEAD = 4  # jobs queued per worker beyond the one it is making
SMALL_RUN = 32  # examples: a run this small is one job, made without forking
FIRST_JOB = 16  # examples: a forking run's first job, made before the fork (`LocalPool`)

Job = TypeVar("Job")
Result = TypeVar("Result")
Item = TypeVar("Item")
Chunk = list[tuple[int, Any]]  # (index, task) pairs: one job of examples


class Executor(Protocol):
    """Runs `work` on each job, possibly elsewhere; yields the results in job order."""

    workers: int

    def map(self, work: Callable[[Job], Result], jobs: Iterable[Job]) -> Iterator[Result]: ...


def measured_pace(executor: Executor) -> Callable[[], float | None]:
    """The executor's seconds per example per worker so far (`LocalPool.pace`), or None
    while it has none (every executor without one)."""
    return lambda: getattr(executor, "pace", None)


class LocalPool:
    """Worker processes on this machine (forked, so they start with the parent's imports);
    with one worker, or a single job, the work runs in this process, and otherwise the first
    job does, before the fork."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self.pace: float | None = None  # seconds per example per worker of recent jobs

    def map(self, work: Callable[[Job], Result], jobs: Iterable[Job]) -> Iterator[Result]:
        """Results of `work` per job, in job order, with the heap frozen (`heap_frozen`) and
        the numeric libraries' thread pools at one thread (`one_compute_thread`): a worker
        is one core's worth."""
        jobs = iter(jobs)
        first = list(islice(jobs, 2))
        self.pace = None  # measured afresh for each run
        with heap_frozen(), one_compute_thread():
            if self.workers <= 1 or len(first) <= 1:
                yield from map(work, chain(first, jobs))
            else:
                yield from self._forked(work, first, jobs)

    def _forked(
        self, work: Callable[[Job], Result], first: list[Job], jobs: Iterator[Job]
    ) -> Iterator[Result]:
        """The first job made here, then the rest by forked workers: they start with what
        it warmed (lazy imports, compiled kernels, font and glyph caches) rather than each
        paying for it again, and with its objects frozen too."""
        made = work(first[0])
        gc.freeze()
        with ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(), work),
        ) as pool:
            try:
                queued: deque = deque([(pool.submit(run_job, first[1]), _count(first[1]))])
                finished = deque([(time.perf_counter(), 0)], maxlen=2 * self.workers + 1)
                yield made
                for job in jobs:
                    queued.append((pool.submit(run_job, job), _count(job)))
                    if len(queued) > self.workers * AHEAD:
                        future, count = queued.popleft()
                        result = future.result()
                        finished.append((time.perf_counter(), count))
                        self.pace = recent_pace(finished, self.workers)
                        yield result
                while queued:
                    yield queued.popleft()[0].result()
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                raise AugsynthError(
                    "a worker process died (killed, or out of memory); what was written is "
                    "kept: run the same command again to resume"
                ) from None
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def recent_pace(finished: deque[tuple[float, int]], workers: int) -> float:
    """Seconds per example per worker over the jobs that came back last (`finished`: when
    each came back, and its examples, after the moment of the fork or of an earlier job):
    a few jobs, so two that come back together do not read as instant, and a run that
    turns to slower examples gets smaller jobs within a few."""
    examples = sum(count for _, count in list(finished)[1:])
    return (finished[-1][0] - finished[0][0]) * workers / max(examples, 1)


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Freeze the objects that exist now (imports, fonts, caches) for the run: the cyclic
    garbage collector then never walks them again, which was a tenth of a run's CPU, and a
    forked worker does not write to every inherited object's header on its first full
    collection (copying the pages it shares with the main process). Undone afterwards,
    unless the caller had frozen objects itself."""
    had_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not had_frozen:
            gc.unfreeze()


_work: Callable[[Any], Any] | None = None  # a worker's work, set once at its start


def start_worker(parent: int, work: Callable[[Any], Any]) -> None:
    """Worker start-up: keep `work` (inherited through the fork, never pickled: pickling it
    with every job cost the main process, and gave each job a fresh maker whose caches,
    e.g. rendered glyphs, started empty) and exit once the main process is gone."""
    global _work
    _work = work
    exit_with_parent(parent)


def run_job(job: Any) -> Any:
    """One job, by the work this worker was started with."""
    assert _work is not None, "run_job runs only in a LocalPool worker"
    return _work(job)


def exit_with_parent(parent: int) -> None:
    """Worker start-up: exit once the main process is gone (e.g. killed with SIGKILL), rather
    than wait forever on a task queue the other workers keep open, or race a rerun."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def job_size(left: int, workers: int, first: bool = False, pace: float | None = None) -> int:
    """Examples in the next job when `left` remain: CHUNK_SIZE, and near the end of the run
    a quarter of each worker's share of what is left (at least one), so that the workers
    finish together rather than one making a last long job while the others wait.
    One worker gets CHUNK_SIZE to the end.

    The `first` job of a run with several workers is at most FIRST_JOB: a local pool makes
    it alone, before forking (it warms what the workers then share), so its size is time
    the other cores wait; 64 audio clips were half a second of it.

    Once the run's `pace` is known (seconds per example per worker), quick examples come in
    jobs of about JOB_SECONDS, up to MAX_JOB: each job costs the main process ~150 us
    whatever its size, 2-3% of a 64-copy job of `augment images`. Slow examples (large
    images, audio) keep CHUNK_SIZE: once the pace has seen them, a job holds no more of
    them than before (the jobs queued already keep their size)."""
    if workers <= 1:
        return CHUNK_SIZE
    regular = CHUNK_SIZE
    if pace is not None:
        regular = int(min(MAX_JOB, max(CHUNK_SIZE, JOB_SECONDS / max(pace, 1e-9))))
    size = max(1, min(regular, left // (workers * AHEAD)))
    return min(size, FIRST_JOB) if first else size


def job_sizes(
    pending: int, workers: int, pace: Callable[[], float | None] = lambda: None
) -> Iterator[int]:
    """The sizes of the successive jobs of a run of `pending` examples (see `job_size`), each
    drawn when its job is made, with the `pace` measured by then; a run of at most SMALL_RUN
    examples is one job, which a LocalPool makes without forking."""
    if pending <= SMALL_RUN:
        workers = 1
    left = pending
    while left > 0:
        size = min(left, job_size(left, workers, first=left == pending, pace=pace()))
        yield size
        left -= size


def _count(job: Any) -> int:
    """Examples in a job (a list of them; anything else counts as one)."""
    return len(job) if isinstance(job, list) else 1


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of `size` items (the last one shorter), taken lazily."""
    items = iter(items)
    while block := list(islice(items, size)):
        yield block


def task_chunks(
    tasks: Sequence[Any], indices: Iterable[int], sizes: Iterable[int]
) -> Iterator[Chunk]:
    """Jobs of (index, task) pairs for `indices`, of the given sizes, the tasks looked up only
    as jobs are made."""
    indices = iter(indices)
    for size in sizes:
        block = list(islice(indices, size))
        if not block:
            return
        yield [(index, tasks[index]) for index in block]
