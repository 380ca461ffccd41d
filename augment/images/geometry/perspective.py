"""Tilt the image plane: a random homography from moving the four corners."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.draws import uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.geometry.base import RemappingTransform


@register
class Perspective(RemappingTransform):
    """Move each corner by up to `distortion` of the image size and warp by the homography.

    Realistic for photographed text and documents (camera not facing the plane): keep it
    mild (0.02-0.08) for character crops; stronger values model hand-held phone photos.

    distortion: [low, high] fraction of width/height; per call one magnitude m is drawn and
        each corner coordinate moves uniformly within [-m, m]. Params record `corners`:
        (dx, dy) per corner (top-left, top-right, bottom-right, bottom-left), flat.
    """

    def __init__(
        self,
        distortion: float | tuple[float, float] = (0.02, 0.08),
        interpolation: str = "linear",
        border: str = "replicate",
        fill: float = 0.0,
        min_visibility: float = 0.0,
    ) -> None:
        self.distortion = as_range("distortion", distortion, 0.0, 0.45)
        self._set_remapping(interpolation, border, fill, min_visibility)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        m = uniform(rng, self.distortion)
        offsets = rng.random(8) * (2.0 * m) - m
        return self._with_border(rng, {"corners": offsets.tolist()})

    def stage(self, params: Params, height: int, width: int) -> np.ndarray:
        return self.stage_batch([params], height, width)[0]

    def stage_batch(self, params: list[Params], height: int, width: int) -> np.ndarray:
        corners = np.array(
            [[-0.5, -0.5], [width - 0.5, -0.5], [width - 0.5, height - 0.5], [-0.5, height - 0.5]],
            dtype=np.float32,
        )
        offsets = np.array([p["corners"] for p in params], dtype=np.float32).reshape(-1, 4, 2)
        moved = corners + offsets * np.array([width, height], np.float32)
        # backward: output (moved corners) -> input (original corners)
        return np.stack([cv2.getPerspectiveTransform(m, corners) for m in moved])
