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

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from augment.core.sample import ImageSample
from augment.core.seeding import example_rngs, implicit_rng
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
        return self.__getitems__([index])[0]

    def __getitems__(self, indices: Sequence[int]) -> list[Any]:
        """Items for a whole DataLoader batch, which PyTorch asks for in one call when a
        dataset has this method; same items as indexing one by one."""
        positions = [self._position(i) for i in indices]
        samples = [self.base[i] for i in positions]
        rngs = self._rngs(positions)
        out: list[Any] = [None] * len(samples)
        from augment.images.batch import STACKED_PIXELS_MAX  # OpenCV loads on first fetch

        stacks: dict[tuple, list[int]] = defaultdict(list)
        for k, sample in enumerate(samples):
            if _stackable(sample, STACKED_PIXELS_MAX):
                stacks[sample.image.shape, sample.image.dtype.str].append(k)
            else:
                out[k] = self.pipeline(sample, rngs[k])
        for members in stacks.values():
            images, labels = self._augment_stack(samples, rngs, members)
            for k, image, label in zip(members, images, labels, strict=True):
                # the other targets are None: cheaper than dataclasses.replace
                out[k] = ImageSample(image, label=label, extra=samples[k].extra)
        return [self.to_output(o) for o in out] if self.to_output else out

    def _augment_stack(
        self, samples: list, rngs: list[np.random.Generator], members: list[int]
    ) -> tuple[np.ndarray, list[str | None]]:
        from augment.images.batch import run_batch

        result = run_batch(
            self.pipeline,
            np.stack([samples[k].image for k in members]),
            [rngs[k] for k in members],
            [samples[k].label for k in members],
        )
        return result.images, result.labels

    def _position(self, index: int) -> int:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} out of range for {len(self)} items")
        return index % len(self)

    def _rngs(self, positions: list[int]) -> list[np.random.Generator]:
        if self.seed is None:
            return [implicit_rng()] * len(positions)
        return example_rngs(self.seed, positions, self.epoch)


def _stackable(sample: Any, max_pixels: int) -> bool:
    """A small image with no targets that geometry would have to move: the batch path's
    input, stacked with the others of its shape and dtype. Larger images gain nothing from
    stacking (the batch path runs them one by one) and would only be copied into and out of
    the stack."""
    return (
        type(sample) is ImageSample
        and sample.mask is None
        and sample.keypoints is None
        and sample.boxes is None
        and sample.image.shape[0] * sample.image.shape[1] <= max_pixels
    )
