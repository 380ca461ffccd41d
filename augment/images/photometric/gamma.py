"""Non-linear brightness: gamma curve."""

from __future__ import annotations

import numpy as np

from augment.core.draws import log_uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.lut import RAMP, apply_lut, table_from
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only


@register
class Gamma(PhotometricTransform):
    """Map intensity x in [0, 1] to x ** gamma, gamma drawn log-uniformly from `gamma`.

    Realistic for differences between camera tone curves, scanners and displays: it
    lightens or darkens mid-tones while keeping black and white.

    gamma: [low, high], > 0; below 1 lightens, above 1 darkens.
    """

    def __init__(self, gamma: float | tuple[float, float] = (0.7, 1.5)) -> None:
        self.gamma = as_range("gamma", gamma, 1e-2, 100.0)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return {"gamma": log_uniform(rng, self.gamma)}

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        g = params["gamma"]

        def curve(colour: np.ndarray) -> np.ndarray:
            if colour.dtype == np.uint8:
                return apply_lut(colour, table_from((RAMP * (1 / 255)) ** g * 255.0))
            return np.power(np.clip(colour, 0.0, 1.0), g).astype(colour.dtype)

        return colour_only(image, curve)
