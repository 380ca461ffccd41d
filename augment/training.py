"""Use a pipeline inside a training loop: a map-style dataset that augments on access.

Works with PyTorch's DataLoader (torch is not needed to import it). With a seed, item i of
epoch e is drawn from (seed, e, i): the same whatever the worker count, so runs repeat
exactly. Without a seed, draws come from the implicit generator, which differs per
DataLoader worker and per epoch with no worker_init_fn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from augment.core.seeding import example_rng
from augment.core.transform import Transform

S = TypeVar("S")


class AugmentedDataset(Generic[S]):
    """`base[i]` passed through `pipeline`, optionally mapped by `to_output` (e.g. to a tensor)."""

    def __init__(
        self,
        base: Sequence[S],
        pipeline: Transform,
        seed: int | None = None,
        to_output: Callable[[S], Any] | None = None,
    ) -> None:
        self.base = base
        self.pipeline = pipeline
        self.seed = seed
        self.to_output = to_output
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Select the epoch's draws (seeded mode); call before each epoch, as with samplers."""
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.base)

    def __getitem__(self, index: int) -> Any:
        rng = None if self.seed is None else example_rng(self.seed, index, self.epoch)
        out = self.pipeline(self.base[index], rng)
        return self.to_output(out) if self.to_output else out
