"""Shift the image by a fraction of its size."""

from __future__ import annotations

import numpy as np

from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.geometry.base import (
    RemappingTransform,
    backward_about_centre,
    backward_about_centre_batch,
    column,
)


@register
class Translate(RemappingTransform):
    """Shift by fractions of the width and height drawn uniformly from `x` and `y`.

    Realistic for crops from a detector whose boxes are off-centre by a few percent; keep
    shifts small for character crops so the letter stays whole and neighbours do not take
    over the crop.

    x, y: a number f for (-f, f), or [low, high], as fractions of the width / height.
    """

    def __init__(
        self,
        x: float | tuple[float, float] = 0.1,
        y: float | tuple[float, float] = 0.1,
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.x = as_range("x", x, -1.0, 1.0, symmetric=True)
        self.y = as_range("y", y, -1.0, 1.0, symmetric=True)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return self._with_border(rng, {"x": uniform(rng, self.x), "y": uniform(rng, self.y)})

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        tx, ty = params["x"] * width, params["y"] * height
        return backward_about_centre((1.0, 0.0, 0.0, 1.0), (tx, ty), (height, width))

    def stage_batch(self, params: list[Params], height: int, width: int) -> np.ndarray:
        tx, ty = column(params, "x") * width, column(params, "y") * height
        one, zero = np.ones_like(tx), np.zeros_like(tx)
        return backward_about_centre_batch((one, zero, zero, one), (tx, ty), (height, width))
