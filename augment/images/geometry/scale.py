"""Zoom in or out about the image centre."""

from __future__ import annotations

import math

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
class Scale(RemappingTransform):
    """Scale about the image centre by a factor drawn log-uniformly from `factor`.

    Realistic where a detector or a cropping step frames objects loosely or tightly:
    character crops whose letter fills 70-100% of the box, objects at varying distance.
    Log-uniform, so zooming in by 1.25 is as likely as zooming out by 1/1.25.

    factor: [low, high] (or one number), > 0; 1 keeps the size. aspect: extra factor on the
        width only, drawn log-uniformly too (1 keeps the aspect ratio).
    """

    def __init__(
        self,
        factor: float | tuple[float, float] = (0.9, 1.1),
        aspect: float | tuple[float, float] = 1.0,
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.factor = as_range("factor", factor, 1e-3, 1e3)
        self.aspect = as_range("aspect", aspect, 1e-3, 1e3)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        logs = (math.log(self.factor[0]), math.log(self.factor[1]))
        params = {"factor": math.exp(uniform(rng, logs))}
        if self.aspect != (1.0, 1.0):
            aspect_logs = (math.log(self.aspect[0]), math.log(self.aspect[1]))
            params["aspect"] = math.exp(uniform(rng, aspect_logs))
        return self._with_border(rng, params)

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        s = params["factor"]
        linear = (s * params.get("aspect", 1.0), 0.0, 0.0, s)
        return backward_about_centre(linear, (0.0, 0.0), (height, width))

    def stage_batch(self, params: list[Params], height: int, width: int) -> np.ndarray:
        s = column(params, "factor")
        zero = np.zeros_like(s)
        sx = s * column(params, "aspect", 1.0)
        return backward_about_centre_batch((sx, zero, zero, s), (0.0, 0.0), (height, width))
