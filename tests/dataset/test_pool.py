"""The local worker pool: results in job order, jobs drawn only a few ahead of the results."""

from __future__ import annotations

import gc
import os
import signal
import time

import pytest

from augment.core.errors import AugsynthError
from augment.dataset.pool import (
    AHEAD,
    CHUNK_SIZE,
    FIRST_JOB,
    MAX_JOB,
    LocalPool,
    batched,
    job_size,
    job_sizes,
)


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_in_job_order_and_jobs_are_drawn_lazily(workers: int) -> None:
    drawn: list[int] = []

    def jobs():
        for job in range(100):
            drawn.append(job)
            yield job

    results = LocalPool(workers).map(_square, jobs())
    assert next(results) == 0
    assert len(drawn) <= max(2, workers * AHEAD + 1)  # never the whole run up front
    assert list(results) == [job * job for job in range(1, 100)]
    assert drawn == list(range(100))


def test_a_single_job_runs_in_this_process() -> None:
    seen: list[int] = []  # appended to in this process only: a worker's list is a copy
    assert list(LocalPool(2).map(seen.append, [7])) == [None] and seen == [7]


def _maker_and_frozen(job: int) -> tuple[int, bool]:
    return os.getpid(), gc.get_freeze_count() > 0


def test_the_first_job_is_made_here_before_forking_with_the_heap_frozen_until_the_end() -> None:
    """Workers forked after the first job inherit what it warmed; the collector skips the
    objects that existed before the run, in this process and in the workers."""
    assert gc.get_freeze_count() == 0
    made = list(LocalPool(2).map(_maker_and_frozen, range(6)))
    assert made[0] == (os.getpid(), True)
    assert {pid for pid, _ in made[1:]} - {os.getpid()} == {pid for pid, _ in made[1:]}
    assert all(frozen for _, frozen in made)
    assert gc.get_freeze_count() == 0  # undone once the run is over
    assert list(LocalPool(1).map(_maker_and_frozen, range(2))) == [(os.getpid(), True)] * 2
    assert gc.get_freeze_count() == 0


def test_jobs_shrink_near_the_end_to_keep_every_worker_busy_and_batched_is_lazy() -> None:
    one = list(job_sizes(3 * CHUNK_SIZE + 4, 1))
    assert one == [CHUNK_SIZE] * 3 + [4] and list(job_sizes(20, 2)) == [20]
    sizes = list(job_sizes(1000, 2))
    assert sum(sizes) == 1000 and sizes[0] == FIRST_JOB  # made before the fork, alone
    assert sizes[1] == CHUNK_SIZE and sizes[1:] == sorted(sizes[1:], reverse=True)
    for k, size in enumerate(sizes[1:], start=1):  # a quarter of each worker's share left
        assert size == max(1, min(CHUNK_SIZE, (1000 - sum(sizes[:k])) // 8))
    assert sizes[-8:] == [1] * 8
    assert list(batched(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_a_quick_pace_makes_larger_jobs_up_to_max_job_and_a_slow_one_keeps_chunk_size() -> None:
    assert job_size(10**6, 2, pace=1e-4) == MAX_JOB  # 0.04 s / 100 us = 400
    assert job_size(10**6, 2, pace=0.0) == MAX_JOB  # two results within a clock tick
    assert job_size(10**6, 2, pace=4e-4) == 100
    assert job_size(10**6, 2, pace=0.008) == CHUNK_SIZE  # an audio clip: as before
    assert job_size(10**6, 1, pace=1e-4) == CHUNK_SIZE  # one worker never measures one
    assert job_size(800, 2, pace=1e-4) == 100  # near the end: a quarter of each share
    assert job_size(10**6, 2, first=True, pace=1e-4) == FIRST_JOB
    paces = iter([None, None, 1e-4, 1e-4])
    sizes = list(job_sizes(10_000, 2, pace=lambda: next(paces, 1e-4)))
    assert sizes[:4] == [FIRST_JOB, CHUNK_SIZE, MAX_JOB, MAX_JOB] and sum(sizes) == 10_000


def _sleep_a_millisecond_each(job: list[int]) -> int:
    time.sleep(0.001 * len(job))
    return len(job)


def test_a_forked_pool_measures_its_pace_per_worker() -> None:
    pool = LocalPool(2)
    assert pool.pace is None
    assert sum(pool.map(_sleep_a_millisecond_each, [[0] * 5] * 40)) == 200
    assert pool.pace is not None and 0.001 <= pool.pace < 1.0  # never quicker than the sleep
    one = LocalPool(1)
    list(one.map(_sleep_a_millisecond_each, [[0] * 5] * 4))
    assert one.pace is None  # nothing to size for: one worker keeps CHUNK_SIZE


def _die_on_three(job: int) -> int:
    if job == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer or a user would
    return job


def test_a_killed_worker_is_one_line_error_saying_how_to_resume():
    with pytest.raises(AugsynthError, match=r"a worker process died.*run the same command"):
        list(LocalPool(2).map(_die_on_three, range(8)))


def _compute_threads(_job: int) -> tuple[int, int]:
    import cv2
    import numpy  # noqa: F401  (its BLAS is what threadpoolctl sees)
    from threadpoolctl import threadpool_info

    return max((pool["num_threads"] for pool in threadpool_info()), default=1), cv2.getNumThreads()


@pytest.mark.parametrize("workers", [1, 2])
def test_jobs_run_with_one_compute_thread_and_the_settings_are_restored(workers: int) -> None:
    """Idle BLAS threads spin in every process, and OpenCV's pool spread one worker over
    more than a core: the writer's jobs run with one thread of each."""
    import cv2
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_info

    cv2.setNumThreads(2)  # what this 2-core machine gives by default; any count above 1
    before = [pool["num_threads"] for pool in threadpool_info()]
    try:
        assert list(LocalPool(workers).map(_compute_threads, range(4))) == [(1, 1)] * 4
        assert [pool["num_threads"] for pool in threadpool_info()] == before
        assert cv2.getNumThreads() == 2
    finally:
        cv2.setNumThreads(-1)  # OpenCV's default


def test_opencv_is_not_imported_by_a_run_that_never_loads_it(loaded_after) -> None:
    """The audio commands never load OpenCV; holding its pool must not import it."""
    code = (
        "from augment.dataset.pool import LocalPool\n"
        "assert list(LocalPool(1).map(abs, [-1, -2])) == [1, 2]"
    )
    assert loaded_after(code, ["cv2"]) == [False]
