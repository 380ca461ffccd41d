"""Per-example random generators.

The generator for example i comes from (seed, i), so output does not depend on the number
of workers, their order, or a resume. A call without a generator uses an implicit one that
differs per process, per PyTorch DataLoader worker and per epoch, with no worker_init_fn.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable

import numpy as np

from augment.core.seed_hash import PrecomputedSeedSequence, key_states

HASHED_BATCH_MIN = 8  # below this, the array hash's fixed cost (about 120 us) outweighs its saving


def example_rng(seed: int, index: int, *stream: int) -> np.random.Generator:
    """The generator for example `index` of a run seeded with `seed`."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, *stream)))


def example_rngs(seed: int, indices: Iterable[int], *stream: int) -> list[np.random.Generator]:
    """`[example_rng(seed, i, *stream) for i in indices]`, bit-for-bit, faster for a batch:
    the seed hashes of all examples run as one array computation (which has a fixed cost,
    so small batches take the per-example route)."""
    keys = [(int(i), *stream) for i in indices]
    if len(keys) < HASHED_BATCH_MIN:
        return [example_rng(seed, *key) for key in keys]
    return [
        # a PrecomputedSeedSequence is an ISeedSequence, which PCG64 takes (stubs say less)
        np.random.Generator(np.random.PCG64(PrecomputedSeedSequence(state, seed, key)))  # type: ignore[arg-type]
        for state, key in zip(key_states(seed, keys), keys, strict=True)
    ]


_local = threading.local()


def _context_key() -> tuple[int, int | None]:
    """Identifies the process and, inside a DataLoader worker, that worker's epoch seed."""
    worker_seed = None
    torch_data = sys.modules.get("torch.utils.data")
    if torch_data is not None:
        info = torch_data.get_worker_info()
        if info is not None:
            worker_seed = int(info.seed)
    return os.getpid(), worker_seed


def implicit_rng() -> np.random.Generator:
    """A generator for calls that pass none.

    In a DataLoader worker it is seeded from the worker's seed, which PyTorch draws afresh
    for each worker and each epoch; elsewhere from OS entropy once per process and thread.
    """
    key = _context_key()
    cached = getattr(_local, "entry", None)
    if cached is None or cached[0] != key:
        worker_seed = key[1]  # None: fresh OS entropy
        cached = (key, np.random.default_rng(np.random.SeedSequence(worker_seed)))
        _local.entry = cached
    return cached[1]
