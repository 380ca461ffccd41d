"""Uneven illumination: a brightness gradient or a soft shadow edge across the image."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from augment.core.draws import choose, uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_choice
from augment.images.photometric.base import PhotometricTransform
from augment.images.photometric.kernels import multiply_uint8, ramps
from augment.images.pixels import colour_only, from_float, grey_to_colour, to_float

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

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
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
        return self.fields([params], height, width)[0]

    def fields(self, params: list[Params], height: int, width: int) -> np.ndarray:
        """The (n, H, W) float32 multipliers of a batch, computed together."""
        t = np.radians(np.array([p["angle"] for p in params], dtype=np.float64))
        cos, sin = np.cos(t)[:, None], np.sin(t)[:, None]
        xs, ys = centred_pixels(height, width)
        half_extent = 0.5 * (np.abs(cos) * width + np.abs(sin) * height)
        along = np.empty((len(params), xs.size), np.float32)  # -1 .. 1 across
        ramps(xs, ys, cos[:, 0], sin[:, 0], half_extent[:, 0], along)
        strength = np.array([p["strength"] for p in params], dtype=np.float32)[:, None]
        shadow = np.array([p["kind"] == "shadow" for p in params])
        out = 1.0 + strength * along  # the gradients
        if shadow.any():  # the shadows replace their rows, computed for those rows only
            offset = np.array([p.get("offset", 0.0) for p in params], np.float32)[shadow, None]
            edge = (self.softness * min(height, width) / half_extent[shadow]).astype(np.float32)
            shade = 0.5 * (1.0 + np.tanh((along[shadow] - 2 * offset) / edge))
            out[shadow] = 1.0 - strength[shadow] * shade
        return out.reshape(len(params), height, width)

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        field = self.field(params, image.shape[0], image.shape[1])

        def light(colour: np.ndarray) -> np.ndarray:
            values = to_float(colour)
            values *= field if colour.ndim == 2 else field[:, :, None]
            return from_float(values, colour.dtype)

        return colour_only(image, light)

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        if images.ndim == 4 and images.shape[3] == 4:
            return super().transform_batch(images, params)
        field = self.fields(params, images.shape[1], images.shape[2])
        if images.dtype == np.uint8:  # one compiled pass, the same bytes as below
            out = np.empty(images.shape, np.uint8)
            n, pixels = len(images), field[0].size
            multiply_uint8(images.reshape(n, pixels, -1), field.reshape(n, pixels),
                           out.reshape(n, pixels, -1))  # fmt: skip
            return out
        values = to_float(images)
        values *= field if images.ndim == 3 else grey_to_colour(field)
        return from_float(values, images.dtype)


@lru_cache(maxsize=64)
def centred_pixels(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every pixel from the image centre, row by row, (H * W,) each.

    Flat, so the batch's fields are computed with long inner loops rather than by
    broadcasting (n, H, 1) against (n, 1, W), which costs more than the arithmetic.
    """
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    xs, ys = xs.ravel() - (width - 1) / 2, ys.ravel() - (height - 1) / 2
    xs.setflags(write=False)
    ys.setflags(write=False)
    return xs, ys
