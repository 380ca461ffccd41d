"""Make examples on a Dask distributed cluster: the `Executor` of `--executor dask`.

Dask, not a home-made cluster: users who outgrow one machine already run it (or start it
with `dask scheduler` / `dask worker`, dask-jobqueue on Slurm, dask-kubernetes), and its
scheduler reruns the tasks of a worker that dies on another worker. Jobs are submitted
lazily, a few per worker thread ahead of the results, so a run of 10^8 examples never
sits in the scheduler at once; results are taken in job order, each once, so the
manifest is the same as a local run's. This module starts no cluster: it connects to one.
Workers need the package and see IN and OUT at the same paths (a shared file system).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any, TypeVar

from augment.core.errors import AugsynthError, ConfigError
from augment.dataset.pool import AHEAD

Job = TypeVar("Job")
Result = TypeVar("Result")
CONNECT_TIMEOUT_S = 30
INSTALL_HINT = "pip install 'augsynth[dask]'"


def import_distributed() -> Any:
    """The `distributed` module, or a one-line error saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise ConfigError(
            "--executor", f"dask needs Dask distributed, which is not installed: {INSTALL_HINT}"
        ) from None
    return distributed


def default_scheduler() -> str:
    """The address in Dask's own configuration (DASK_SCHEDULER_ADDRESS), or a one-line error:
    a run never starts a cluster of its own behind the user's back."""
    import_distributed()
    import dask

    address = dask.config.get("scheduler-address", None)
    if not address:
        raise ConfigError(
            "--scheduler", "--executor dask needs the scheduler's address, e.g. tcp://head:8786"
        )
    return str(address)


class DaskExecutor:
    """Runs each job as a task on a Dask cluster; yields the results in job order.

    `scheduler` is the scheduler's address (`tcp://host:8786`; the connection is this
    executor's and `close()` ends it) or a `distributed.Client` the caller keeps. `shared`
    are paths (IN, OUT) every worker must see as given before any job runs: without a
    shared file system, workers would write OUT to their own disks.
    """

    def __init__(self, scheduler: str | Any, shared: Sequence[str | Path] = ()) -> None:
        distributed = import_distributed()
        self.shared = [str(path) for path in shared]
        self._owned = not isinstance(scheduler, distributed.Client)
        client: Any = connect(distributed, scheduler) if self._owned else scheduler
        self.client = client
        self.workers = max(1, sum(client.nthreads().values()))

    def map(self, work: Callable[[Job], Result], jobs: Iterable[Job]) -> Iterator[Result]:
        """Results of `work` per job, in job order; at most `workers * AHEAD` jobs queued.

        `work` travels to the cluster once, as a task of its own (the scheduler remakes it
        if the worker holding it dies), and every job's task takes it from there.
        """
        client = self.client
        self._check_shared()
        shipped = client.submit(_same, work, pure=False)
        queued: deque = deque()
        try:
            for job in jobs:
                queued.append(client.submit(_call, shipped, job, pure=False))
                if len(queued) > self.workers * AHEAD:
                    yield _result(queued.popleft())
            while queued:
                yield _result(queued.popleft())
        finally:
            client.cancel([*queued, shipped])  # an error or Ctrl-C leaves nothing running

    def _check_shared(self) -> None:
        """One line naming a worker and a path it does not see, before any job runs."""
        if not self.shared:
            return
        for worker, unseen in self.client.run(_unseen, self.shared).items():
            if unseen:
                raise ConfigError(
                    "--scheduler",
                    f"Dask worker {worker} does not see {unseen[0]}: IN and OUT must be on a "
                    "file system the workers share, at the same path",
                )

    def close(self) -> None:
        """End the connection this executor opened (a caller's client stays open)."""
        if self._owned:
            self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def connect(distributed: Any, address: str) -> Any:
    """A client of the scheduler at `address`; one line naming it if it cannot be reached."""
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError, TypeError) as err:
        raise ConfigError(
            "--scheduler", f"cannot reach a Dask scheduler at {address}: {err}"
        ) from None


def _unseen(paths: list[str]) -> list[str]:
    """The paths this worker cannot see."""
    return [path for path in paths if not os.path.exists(path)]


def _same(work: Any) -> Any:
    """The work function, held on the cluster as a task result."""
    return work


def _call(work: Callable[[Job], Result], job: Job) -> Result:
    """One job, run on a worker."""
    return work(job)


def _result(future: Any) -> Any:
    """A task's result; a job that kept killing its workers, or a lost scheduler, is one
    line saying how to resume."""
    from distributed import KilledWorker

    detail: Exception
    try:
        return future.result()
    except KilledWorker as err:
        problem, detail = "a job killed every Dask worker that ran it", err
    except CancelledError as err:  # the scheduler went away, or cancelled the job
        problem, detail = "the Dask cluster dropped a job", err
    reason = str(detail).splitlines()[0].rstrip(".")  # Dask's messages run over lines
    raise AugsynthError(
        f"{problem} ({reason}); what was written is kept: run the same command again to resume"
    )
