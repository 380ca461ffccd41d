"""Making examples: per-example generators, chunks, worker processes, manifest rows.

Shared by both dataset layouts. Example i is always made with the generator from (seed, i),
so what a run writes does not depend on the worker count, the chunking or a resume.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

from augment.core.errors import AugsynthError
from augment.core.seeding import example_rng, example_rngs
from augment.dataset.example import Example, ExampleMaker

CHUNK_SIZE = 32

Job = TypeVar("Job")
Result = TypeVar("Result")


def make_examples(
    maker: ExampleMaker, seed: int, chunk: list[tuple[int, dict[str, Any]]]
) -> list[Example | str]:
    """The chunk's examples, or an error message in place of each one that failed.

    A maker with `make_batch(tasks, rngs)` makes the chunk in one call (same bytes as one by
    one); if that call fails, the chunk is redone one by one so only the bad input is lost.
    """
    make_batch = getattr(maker, "make_batch", None)
    if make_batch is not None:
        try:
            return make_batch([t for _, t in chunk], example_rngs(seed, [i for i, _ in chunk]))
        except Exception:  # redone one by one below, which reports the bad input alone
            pass
    results: list[Example | str] = []
    for index, task in chunk:
        try:
            results.append(maker.make(task, example_rng(seed, index)))
        except AugsynthError as err:
            results.append(str(err))
        except Exception as err:  # a long run reports an unexpected failure and goes on
            where = task.get("source", f"example {index}")
            results.append(f"{where}: {type(err).__name__}: {err}")
    return results


def manifest_row(
    index: int, location: dict[str, str], example: Example, seed: int
) -> dict[str, Any]:
    """Where an example went and how it was made; its columns never overwrite those fields."""
    row = {
        "index": index,
        **location,
        "label": example.label,
        "source": example.source,
        "seed": seed,
        "params": example.params,
    }
    for key, value in example.columns.items():
        row[f"input_{key}" if key in row or key == "file_name" else key] = value
    return row


def chunks(pending: list[tuple[int, dict]], size: int) -> Iterator[list[tuple[int, dict]]]:
    for start in range(0, len(pending), size):
        yield pending[start : start + size]


def map_jobs(work: Callable[[Job], Result], jobs: list[Job], workers: int) -> Iterator[Result]:
    """Results of `work` per job, in job order; in worker processes when there are several."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(work, jobs)
        return
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("fork"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            yield from pool.map(work, jobs)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def exit_with_parent(parent: int) -> None:
    """Worker start-up: exit once the main process is gone (e.g. killed with SIGKILL), rather
    than wait forever on a task queue the other workers keep open, or race a rerun."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
