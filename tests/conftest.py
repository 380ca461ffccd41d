"""Shared fixtures."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from augment.core.sample import ImageSample


@pytest.fixture
def gray_sample() -> ImageSample:
    return ImageSample(image=np.zeros((8, 8), dtype=np.float32), label="a")


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A real Dask cluster of two worker processes (one thread each), as `dask worker`
    starts them, shared by the tests that run on a cluster. Its HTTP server takes a free
    port (":0"), so another cluster on this machine does not clash with it."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def loaded_after() -> Callable[[str, list[str]], list[bool]]:
    """Whether each module is loaded once `code` has run in a fresh interpreter: what a
    command imports only when it needs it stays out of the ones that never do."""

    def run(code: str, modules: list[str]) -> list[bool]:
        probe = f"{code}\nimport sys\nprint(*[m in sys.modules for m in {modules!r}])\n"
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return [word == "True" for word in done.stdout.split()]

    return run
