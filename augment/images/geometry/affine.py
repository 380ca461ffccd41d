"""Rotation, scale, shift and shear drawn together as one affine map."""

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
class Affine(RemappingTransform):
    """Rotate, scale, shift and shear in one step (about the image centre).

    Realistic as a compact way to model camera pose and loose cropping together; each
    part is as realistic as its own transform (Rotate, Scale, Translate, Shear). It fuses
    with neighbouring geometric steps either way, so prefer the single-purpose transforms
    when a config reads better with them.

    degrees: rotation range; scale: factor range (log-uniform); translate: fraction of the
    size for x and y; shear: horizontal shear range in degrees.
    """

    def __init__(
        self,
        degrees: float | tuple[float, float] = 10.0,
        scale: float | tuple[float, float] = (0.9, 1.1),
        translate: float | tuple[float, float] = 0.05,
        shear: float | tuple[float, float] = 5.0,
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.degrees = as_range("degrees", degrees, -360.0, 360.0, symmetric=True)
        self.scale = as_range("scale", scale, 1e-3, 1e3)
        self.translate = as_range("translate", translate, -1.0, 1.0, symmetric=True)
        self.shear = as_range("shear", shear, -60.0, 60.0, symmetric=True)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        log_scale = (math.log(self.scale[0]), math.log(self.scale[1]))
        return self._with_border(
            rng,
            {
                "angle": uniform(rng, self.degrees),
                "scale": math.exp(uniform(rng, log_scale)),
                "x": uniform(rng, self.translate),
                "y": uniform(rng, self.translate),
                "shear": uniform(rng, self.shear),
            },
        )

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        t = math.radians(params["angle"])
        c, s = math.cos(t) * params["scale"], math.sin(t) * params["scale"]
        k = math.tan(math.radians(params["shear"]))
        # L = R * S * Shear, with Shear = [[1, k], [0, 1]]
        linear = (c, c * k + s, -s, -s * k + c)
        shift = (params["x"] * width, params["y"] * height)
        return backward_about_centre(linear, shift, (height, width))
