"""Stretch or flatten contrast."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.draws import log_uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_choice
from augment.images.lut import RAMP, apply_lut, table_from
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only, from_float_batch, has_alpha, max_value, per_image


@register
class Contrast(PhotometricTransform):
    """Scale pixel values about the image mean (or mid-grey) by a factor from `factor`.

    Realistic for every camera and scanner: exposure, ink density, faded print, glare and
    low-contrast screens all change contrast. Factors of 0.5-1.5 cover most photo crops.

    factor: [low, high] (> 0, drawn log-uniformly); below 1 flattens, above 1 stretches.
    centre: "mean" keeps the average brightness; "mid" pivots about mid-grey.
    """

    def __init__(
        self, factor: float | tuple[float, float] = (0.6, 1.4), centre: str = "mean"
    ) -> None:
        self.factor = as_range("factor", factor, 1e-3, 100.0)
        self.centre = check_choice("centre", centre, ("mean", "mid"))

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return {"factor": log_uniform(rng, self.factor)}

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        f = params["factor"]

        def stretch(colour: np.ndarray) -> np.ndarray:
            if self.centre == "mid":
                pivot = 0.5 * max_value(colour)
            else:
                channels = 1 if colour.ndim == 2 else colour.shape[2]
                pivot = sum(cv2.mean(colour)[:channels]) / channels
            if colour.dtype == np.uint8:
                return apply_lut(colour, table_from(RAMP * f + (1.0 - f) * pivot))
            out = cv2.addWeighted(colour, f, colour, 0.0, (1.0 - f) * pivot)
            np.clip(out, 0.0, 1.0, out=out)
            return out.reshape(colour.shape)

        return colour_only(image, stretch)

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        if has_alpha(images[0]):
            return super().transform_batch(images, params)
        f = per_image([p["factor"] for p in params], images)
        values = images.astype(np.float32)
        if self.centre == "mid":
            pivot = np.float32(0.5 * max_value(images))
        else:
            pivot = values.mean(axis=tuple(range(1, images.ndim)), keepdims=True)
        values *= f
        values += (1.0 - f) * pivot
        return from_float_batch(values, images.dtype)
