"""Make the image lighter or darker."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.lut import RAMP, apply_lut, table_from
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only, from_float_batch, has_alpha, max_value, per_image


@register
class Brightness(PhotometricTransform):
    """Add an offset drawn from `delta` (a fraction of full intensity) to every pixel.

    Realistic for exposure and lighting-level differences between photos and scanners;
    keep |delta| below about 0.3 so dark ink on dark paper stays readable.

    delta: a number d for (-d, d), or [low, high], in units of full intensity.
    """

    def __init__(self, delta: float | tuple[float, float] = 0.15) -> None:
        self.delta = as_range("delta", delta, -1.0, 1.0, symmetric=True)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return {"delta": uniform(rng, self.delta)}

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        def shift(colour: np.ndarray) -> np.ndarray:
            if colour.dtype == np.uint8:
                return apply_lut(colour, table_from(RAMP + params["delta"] * 255.0))
            out = cv2.addWeighted(colour, 1.0, colour, 0.0, params["delta"] * max_value(colour))
            if colour.dtype != np.uint8:
                np.clip(out, 0.0, 1.0, out=out)
            return out.reshape(colour.shape)

        return colour_only(image, shift)

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        if has_alpha(images[0]):
            return super().transform_batch(images, params)
        delta = per_image([p["delta"] * max_value(images) for p in params], images)
        values = images.astype(np.float32) + delta
        return from_float_batch(values, images.dtype)
