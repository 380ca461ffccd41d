"""Per-example generators and the implicit generator used without one."""

from __future__ import annotations

import multiprocessing

import numpy as np

from augment.core.seeding import example_rng, implicit_rng


def test_example_rng_depends_only_on_seed_and_index() -> None:
    a = example_rng(3, 10).random(4)
    assert np.array_equal(a, example_rng(3, 10).random(4))
    assert not np.array_equal(a, example_rng(3, 11).random(4))
    assert not np.array_equal(a, example_rng(4, 10).random(4))


def _draw(_: int) -> float:
    return float(implicit_rng().random())


def test_implicit_rng_differs_between_processes() -> None:
    with multiprocessing.get_context("fork").Pool(2) as pool:
        draws = pool.map(_draw, range(2), chunksize=1)
    draws.append(_draw(0))
    assert len(set(draws)) == len(draws)
