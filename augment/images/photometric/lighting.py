"""Uneven illumination: a brightness gradient or a soft shadow edge across the image."""

from __future__ import annotations

import math

import numpy as np

from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_choice
from augment.images.photometric.base import PhotometricTransform, choose, uniform
from augment.images.pixels import colour_only, from_float, to_float

KINDS = ("gradient", "shadow")


@register
class Lighting(PhotometricTransform):
    """Multiply by a smooth illumination field: a linear gradient or a soft-edged shadow.

    Realistic for photographed text and objects: light falls off across a page, a hand or
    phone casts a shadow over part of a sign. It changes local contrast smoothly, unlike
    per-pixel noise.

    kinds: fields to choose from per call: "gradient" (brightness ramps from 1 - s to
        1 + s across the image in a random direction) and "shadow" (a half-plane darkened
        by s with a soft edge, at a random position and angle).
    strength: [low, high] s, in [0, 1].
    softness: width of the shadow edge as a fraction of the shorter side.
    """

    def __init__(
        self,
        kinds: list[str] | tuple[str, ...] = KINDS,
        strength: float | tuple[float, float] = (0.1, 0.4),
        softness: float = 0.1,
    ) -> None:
        if isinstance(kinds, str) or not kinds:
            raise ConfigError("kinds", f"expected a non-empty list from {list(KINDS)}")
        self.kinds = [check_choice("kinds", k, KINDS) for k in kinds]
        self.strength = as_range("strength", strength, 0.0, 1.0)
        self.softness = as_range("softness", softness, 0.001, 1.0)[0]

    def sample_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        kind = choose(rng, self.kinds)
        params = {
            "kind": kind,
            "strength": uniform(rng, self.strength),
            "angle": 360.0 * rng.random(),
        }
        if kind == "shadow":
            params["offset"] = rng.random() - 0.5
        return params

    def field(self, params: Params, height: int, width: int) -> np.ndarray:
        """The (H, W) float32 multiplier."""
        t = math.radians(params["angle"])
        xs = (np.arange(width, dtype=np.float32) - (width - 1) / 2) * math.cos(t)
        ys = (np.arange(height, dtype=np.float32) - (height - 1) / 2) * math.sin(t)
        half_extent = 0.5 * (abs(math.cos(t)) * width + abs(math.sin(t)) * height)
        along = (ys[:, None] + xs[None, :]) / np.float32(half_extent)  # -1 .. 1 across
        s = params["strength"]
        if params["kind"] == "gradient":
            return 1.0 + s * along
        edge = self.softness * min(height, width) / half_extent
        shade = 0.5 * (1.0 + np.tanh((along - 2 * params["offset"]) / np.float32(edge)))
        return 1.0 - s * shade

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        field = self.field(params, image.shape[0], image.shape[1])

        def light(colour: np.ndarray) -> np.ndarray:
            values = to_float(colour)
            values *= field if colour.ndim == 2 else field[:, :, None]
            return from_float(values, colour.dtype)

        return colour_only(image, light)
