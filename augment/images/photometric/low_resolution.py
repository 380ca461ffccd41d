"""Lose detail by shrinking and enlarging again."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.draws import choose, uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_choice
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only

UPSAMPLING = {"nearest": cv2.INTER_NEAREST, "linear": cv2.INTER_LINEAR, "cubic": cv2.INTER_CUBIC}


@register
class LowResolution(PhotometricTransform):
    """Downscale by a factor from `scale` (area averaging), then upscale back to the size.

    Realistic for small, far-away text and objects that a detector cropped and resized, and
    for low-resolution cameras: the blockiness or softness of upscaling is what the model
    sees at test time.

    scale: [low, high] fraction of the size kept (0 < scale <= 1).
    upsampling: interpolations to choose from per call: "nearest", "linear", "cubic".
    """

    def __init__(
        self,
        scale: float | tuple[float, float] = (0.25, 0.6),
        upsampling: list[str] | tuple[str, ...] = ("nearest", "linear", "cubic"),
    ) -> None:
        self.scale = as_range("scale", scale, 0.01, 1.0)
        if isinstance(upsampling, str) or not upsampling:
            raise ConfigError("upsampling", f"expected a non-empty list from {list(UPSAMPLING)}")
        self.upsampling = [check_choice("upsampling", u, UPSAMPLING) for u in upsampling]

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return {"scale": uniform(rng, self.scale), "upsampling": choose(rng, self.upsampling)}

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        h, w = image.shape[:2]
        small = (max(1, round(w * params["scale"])), max(1, round(h * params["scale"])))
        if small == (w, h):
            return image

        def degrade(colour: np.ndarray) -> np.ndarray:
            down = cv2.resize(colour, small, interpolation=cv2.INTER_AREA)
            up = cv2.resize(down, (w, h), interpolation=UPSAMPLING[params["upsampling"]])
            if up.dtype != np.uint8:
                np.clip(up, 0.0, 1.0, out=up)
            return up.reshape(colour.shape)

        return colour_only(image, degrade)

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        """A uint8 stack crop by crop into one output, no per-crop wrapping (same bytes)."""
        if images.dtype != np.uint8 or (images.ndim == 4 and images.shape[3] == 4):
            return super().transform_batch(images, params)
        h, w = images.shape[1:3]
        out = images.copy()
        for i, p in enumerate(params):
            small = (max(1, round(w * p["scale"])), max(1, round(h * p["scale"])))
            if small != (w, h):
                down = cv2.resize(images[i], small, interpolation=cv2.INTER_AREA)
                up = UPSAMPLING[p["upsampling"]]
                out[i] = cv2.resize(down, (w, h), interpolation=up).reshape(out[i].shape)
        return out
