"""Use a pipeline inside a training loop: a map-style dataset that augments on access.

Works with PyTorch's DataLoader (torch is not needed to import it). With a seed, item i of
epoch e is drawn from (seed, e, i): the same whatever the worker count, so runs repeat
exactly. Without a seed, draws come from the implicit generator, which differs per
DataLoader worker and per epoch with no worker_init_fn.

A DataLoader fetches each batch with one `__getitems__` call. Small plain images (no mask,
keypoints or boxes) of one shape and dtype are augmented there as one stack (augment's batch
path, several times faster on small crops); everything else goes through the pipeline one
by one. Indexing one item takes the same route, so an item's bytes never depend on which
batch it lands in (they may differ by one grey level from calling the pipeline on it
directly: some colour steps are vectorised in the batch path and round apart).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from augment.core.epoch import EpochIndexing, SharedEpoch
from augment.core.seeding import example_rngs, implicit_rng
from augment.core.transform import Transform

S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)


class Indexed(Protocol[S_co]):
    """What a dataset's base needs: a length and an item per index (a list, or a view)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int, /) -> S_co: ...


class AugmentedDataset(EpochIndexing, Generic[S]):
    """`base[i]` passed through `pipeline`, optionally mapped by `to_output` (e.g. to a tensor)."""

    def __init__(
        self,
        base: Indexed[S],
        pipeline: Transform,
        seed: int | None = None,
        to_output: Callable[[S], Any] | None = None,
    ) -> None:
        self.base = base
        self.pipeline = pipeline
        self.seed = seed
        self.to_output = to_output
        self._epoch = SharedEpoch()

    def __len__(self) -> int:
        return len(self.base)

    def __getitem__(self, index: int) -> Any:
        return self.__getitems__([index])[0]

    def __getitems__(self, indices: Sequence[int]) -> list[Any]:
        """Items for a whole DataLoader batch, which PyTorch asks for in one call when a
        dataset has this method; same items as indexing one by one."""
        from augment.images.augment_list import augment_samples  # loads OpenCV

        positions = [self._position(i) for i in indices]
        samples = [self.base[i] for i in positions]
        augmented = augment_samples(self.pipeline, samples, self._rngs(positions))
        out = [sample for sample, _ in augmented]
        return [self.to_output(o) for o in out] if self.to_output else out

    def _rngs(self, positions: list[int]) -> list[np.random.Generator]:
        if self.seed is None:
            return [implicit_rng()] * len(positions)
        return example_rngs(self.seed, positions, self.epoch)
