"""What photometric transforms share: they change pixel values only, never targets."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform
from augment.images.image_batch import ImageBatch
from augment.images.pixels import colour_of, with_alpha_of


class PhotometricTransform(Transform):
    """Changes the image's colour channels; masks, keypoints, boxes and labels stay."""

    kind: ClassVar[str] = "image"

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        """The new image (same shape and dtype) for these params."""
        raise NotImplementedError

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        """A stack (n, H, W[, C]) transformed with per-image params (vectorised where it pays).

        Alpha is split off and put back once for the stack, not once per image.
        """
        if images.ndim == 4 and images.shape[3] == 4:
            return with_alpha_of(self.transform_batch(colour_of(images), params), images)
        return np.stack([self.transform_image(im, p) for im, p in zip(images, params, strict=True)])

    @property
    def draws_ahead(self) -> bool:
        """Photometric draws read the shape, never the pixels."""
        return True

    @property
    def keeps_label(self) -> bool:
        return True

    def apply(self, sample: ImageSample, params: Params) -> ImageSample:
        return with_image(sample, self.transform_image(sample.image, params))

    def apply_batch(self, batch: ImageBatch, params: list[Params]) -> ImageBatch:
        """`transform_batch` on the colour channels (an RGBA batch's alpha stays apart)."""
        return batch.with_colour(self.transform_batch(batch.colour, params))


def short_side(image: np.ndarray) -> int:
    return min(image.shape[0], image.shape[1])


def with_image(sample: ImageSample, image: np.ndarray) -> ImageSample:
    """The sample with a new image (cheaper than dataclasses.replace on a hot path)."""
    return ImageSample(
        image,
        label=sample.label,
        mask=sample.mask,
        keypoints=sample.keypoints,
        boxes=sample.boxes,
        extra=sample.extra,
    )
