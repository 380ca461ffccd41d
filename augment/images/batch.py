"""The batch path's driver: a stack of same-size crops in, a stack out, little Python per crop.

On letter-sized crops the cost of augmentation is per-call overhead, not pixels, so the
pipeline runs on the whole stack through the transform contract's `run_batch`: each example
draws its params with its own generator exactly as `pipeline.run` draws them (so the
recorded params are the same), and each step applies to the stack at once (geometry through
the batch fuser, colour steps vectorised, combinators group by group). Geometry gives the
same pixels as the single-example path; the vectorised colour steps may differ by rounding.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from collections.abc import Sequence as SequenceType
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform
from augment.images.image_batch import ImageBatch

# Above this many pixels per image, whole-stack arrays (maps, float copies) cost more memory
# traffic than the per-call overhead they save: larger images run one by one.
STACKED_PIXELS_MAX = 128 * 128


class BatchResult(NamedTuple):
    """What run_batch returns: the augmented stack, each image's params and final label."""

    images: np.ndarray
    params: list[Params]
    labels: list[str | None]


def run_batch(
    pipeline: Transform,
    images: np.ndarray | SequenceType[np.ndarray],
    rngs: np.random.Generator | SequenceType[np.random.Generator],
    labels: SequenceType[str | None] | None = None,
) -> BatchResult:
    """Augment a stack (n, H, W[, C]) of same-size images.

    `rngs` is one generator per image (e.g. `example_rngs(seed, indices)`), which reproduces
    `pipeline.run` per image (same params), or one generator shared by the batch.
    `labels` are the class labels label-aware steps see; the result has them as changed
    (Mirror with a label_map).
    """
    stack = np.ascontiguousarray(
        np.stack(list(images)) if not isinstance(images, np.ndarray) else images
    )
    n = stack.shape[0]
    if n == 0:
        return BatchResult(stack, [], [])
    gens = [rngs] * n if isinstance(rngs, np.random.Generator) else list(rngs)
    if len(gens) != n:
        raise ValueError(f"{len(gens)} generators for {n} images")
    labels = [None] * n if labels is None else list(labels)
    with collector_paused():
        if stack.shape[1] * stack.shape[2] > STACKED_PIXELS_MAX:
            return _one_by_one(pipeline, stack, gens, labels)
        batch, params = pipeline.run_batch(ImageBatch(stack, labels), gens)
    out = batch.images
    return BatchResult(stack.copy() if out is stack else out, params, batch.labels)


def _one_by_one(
    pipeline: Transform, stack: np.ndarray, gens: list[np.random.Generator], labels: list
) -> BatchResult:
    """Large images gain nothing from stacking: each runs alone, written into the output."""
    out = np.empty_like(stack)
    params = []
    for i, gen in enumerate(gens):
        result, p = pipeline.run(ImageSample(stack[i], label=labels[i]), gen)
        out[i], labels[i] = result.image, result.label
        params.append(p)
    return BatchResult(out, params, labels)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Thousands of small param dicts would trigger the cyclic garbage collector again and
    again (it costs more than the augmentation); they hold no cycles, so pause it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
