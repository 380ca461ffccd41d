"""A list of samples through a pipeline: the batch path for what stacks, one by one for the rest.

Training loops and dataset writers hold samples, not stacks. Small images with no mask,
keypoints or boxes are grouped by shape and dtype and each group goes through `run_batch`;
anything else (targets to move, large images, audio) runs through the pipeline alone. A
sample's result does not depend on the others in the list, so a batch can be split or
regrouped freely, and a list of one gives the same bytes as that sample in any batch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform
from augment.images.batch import STACKED_PIXELS_MAX, run_batch
from augment.images.image_checks import check_float_range, check_sample_values


def augment_samples(
    pipeline: Transform, samples: list[Any], rngs: list[np.random.Generator]
) -> list[tuple[Any, Params]]:
    """Each sample augmented with its generator, and the params that reproduce it."""
    out: list[tuple[Any, Params]] = [(None, {})] * len(samples)
    stacks: dict[tuple, list[int]] = defaultdict(list)
    for k, sample in enumerate(samples):
        if stackable(sample):
            stacks[sample.image.shape, sample.image.dtype.str].append(k)
        else:
            check_sample_values(sample)
            out[k] = pipeline.run(sample, rngs[k])
    for members in stacks.values():
        stack = np.stack([samples[k].image for k in members])
        if stack.dtype.kind == "f":  # checked once for the stack (see check_sample_values)
            check_float_range(stack, "images")
        result = run_batch(
            pipeline,
            stack,
            [rngs[k] for k in members],
            [samples[k].label for k in members],
        )
        for k, image, label, params in zip(
            members, result.images, result.labels, result.params, strict=True
        ):
            # the other targets are None: cheaper than dataclasses.replace
            out[k] = ImageSample(image, label=label, extra=samples[k].extra), params
    return out


def stackable(sample: Any) -> bool:
    """A small image with no targets that geometry would have to move: the batch path's
    input. Larger images gain nothing from stacking (the batch path runs them one by one)
    and would only be copied into and out of the stack."""
    return (
        type(sample) is ImageSample
        and sample.mask is None
        and sample.keypoints is None
        and sample.boxes is None
        and sample.image.shape[0] * sample.image.shape[1] <= STACKED_PIXELS_MAX
    )
