"""Rotate about the image centre by a random angle."""

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
class Rotate(RemappingTransform):
    """Rotate about the image centre by an angle drawn uniformly from `degrees`.

    Realistic for scanned or photographed text and objects: a page, sign or camera is
    rarely level; a few degrees (5-15) match most photo-OCR test sets. Large angles are
    realistic only where the test set has them (rotated signs, top-down views).

    degrees: a number d for (-d, d), or [low, high]; positive turns counter-clockwise.
    """

    def __init__(
        self,
        degrees: float | tuple[float, float] = 10.0,
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.degrees = as_range("degrees", degrees, -360.0, 360.0, symmetric=True)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return self._with_border(rng, {"angle": uniform(rng, self.degrees)})

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        t = math.radians(params["angle"])
        c, s = math.cos(t), math.sin(t)
        return backward_about_centre((c, s, -s, c), (0.0, 0.0), (height, width))

    def stage_batch(self, params: list[Params], height: int, width: int) -> np.ndarray:
        t = np.radians(column(params, "angle"))
        c, s = np.cos(t), np.sin(t)
        return backward_about_centre_batch((c, s, -s, c), (0.0, 0.0), (height, width))
