"""Smooth random displacement field: rubber-sheet distortion."""

from __future__ import annotations

import math

import cv2
import numpy as np

from augment.core.draws import draw_seed, uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_number
from augment.images.geometry.base import RemappingTransform

MAX_VERTICES = 65


@register
class Elastic(RemappingTransform):
    """Displace pixels by a smoothed random field (Simard et al.'s elastic distortion).

    Realistic for handwriting (the oscillation of the hand), paper crumple and stroke-width
    wobble; it changes shapes more freely than GridWarp, so keep it mild for printed text.

    alpha: [low, high] largest displacement as a fraction of the shorter side.
    sigma: size of a bump as a fraction of the shorter side (bigger = smoother).
    The field is regenerated from a recorded seed, so params stay small.
    """

    def __init__(
        self,
        alpha: float | tuple[float, float] = (0.01, 0.04),
        sigma: float = 0.15,
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.alpha = as_range("alpha", alpha, 0.0, 0.5)
        self.sigma = check_number("sigma", sigma, 0.02, 1.0)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return self._with_border(
            rng,
            {
                "alpha": uniform(rng, self.alpha),
                "seed": draw_seed(rng),
            },
        )

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        short = min(height, width)
        spacing = self.sigma * short / 2.0
        gh = min(MAX_VERTICES, max(3, math.ceil(height / spacing) + 1))
        gw = min(MAX_VERTICES, max(3, math.ceil(width / spacing) + 1))
        noise = np.random.default_rng(params["seed"]).uniform(-1.0, 1.0, size=(gh, gw, 2))
        smooth = cv2.GaussianBlur(noise, (0, 0), 1.0, borderType=cv2.BORDER_REFLECT_101)
        peak = float(np.abs(smooth).max()) or 1.0
        return smooth * (params["alpha"] * short / peak)
