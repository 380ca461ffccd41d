"""Per-example generators and the implicit generator used without one."""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

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


def _random_int(rng: np.random.Generator) -> int:
    """Non-negative integers of 0 to 200 bits, so keys span one to seven 32-bit words."""
    return int.from_bytes(rng.bytes(25), "little") >> int(rng.integers(0, 201))


def test_example_rngs_are_bit_for_bit_example_rng() -> None:
    from augment.core.seeding import HASHED_BATCH_MIN, example_rngs

    draw = np.random.default_rng(0)
    for trial in range(40):
        seed = _random_int(draw)
        stream = tuple(_random_int(draw) for _ in range(trial % 3))
        small = [int(i) for i in draw.integers(0, 2**32, HASHED_BATCH_MIN + 9)]
        # mixed index sizes give keys of different lengths within one batch
        mixed = [_random_int(draw) if k % 5 == 0 else k for k in range(HASHED_BATCH_MIN + 9)]
        for indices in (small, mixed):
            for i, fast in zip(indices, example_rngs(seed, indices, *stream), strict=True):
                reference = example_rng(seed, i, *stream)
                assert fast.bit_generator.state == reference.bit_generator.state, (seed, i)
                assert fast.random(2).tolist() == reference.random(2).tolist()


def test_example_rngs_spawn_like_example_rng() -> None:
    from augment.core.seeding import example_rngs

    fast = example_rngs(5, range(20))[7]
    children, expected = fast.spawn(2), example_rng(5, 7).spawn(2)
    assert [c.random() for c in children] == [c.random() for c in expected]
    assert fast.bit_generator.seed_seq.generate_state(3).tolist() == (
        np.random.SeedSequence(5, spawn_key=(7,)).generate_state(3).tolist()
    )


def test_example_rngs_reject_negative_keys_like_seed_sequence() -> None:
    from augment.core.seeding import example_rngs

    with pytest.raises(ValueError):
        example_rngs(-1, range(20))
    with pytest.raises(ValueError):
        example_rngs(0, range(-1, 19))


def test_seed_hash_refuses_rows_of_different_seeds() -> None:
    """The seed's own words are mixed once for all rows, so rows must share them."""
    from augment.core.seed_hash import pool

    with pytest.raises(ValueError, match="share their first words"):
        pool(np.array([[1, 0, 0, 0, 5], [2, 0, 0, 0, 5]], np.uint32))
