"""Slant the image horizontally and/or vertically."""

from __future__ import annotations

import math

import numpy as np

from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.geometry.base import RemappingTransform, backward_about_centre


@register
class Shear(RemappingTransform):
    """Shear about the image centre by angles drawn uniformly from `x` and `y` (degrees).

    Realistic for italic and slanted handwriting (horizontal shear of 5-20 degrees) and for
    text seen slightly from the side; vertical shear is rarer and should stay small.

    x: horizontal shear, a number d for (-d, d) or [low, high]; y: vertical shear.
    """

    def __init__(
        self,
        x: float | tuple[float, float] = 10.0,
        y: float | tuple[float, float] = 0.0,
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.x = as_range("x", x, -60.0, 60.0, symmetric=True)
        self.y = as_range("y", y, -60.0, 60.0, symmetric=True)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return self._with_border(rng, {"x": uniform(rng, self.x), "y": uniform(rng, self.y)})

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        kx = math.tan(math.radians(params["x"]))
        ky = math.tan(math.radians(params["y"]))
        return backward_about_centre((1.0, kx, ky, 1.0), (0.0, 0.0), (height, width))
