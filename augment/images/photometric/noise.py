"""Per-pixel Gaussian noise (the least representative distortion here)."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.draws import draw_seed, uniform
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only, from_float, max_value


@register
class Noise(PhotometricTransform):
    """Add independent Gaussian noise to every pixel, sigma drawn from `sigma`.

    The LEAST representative distortion in this toolkit: real sensor noise is
    signal-dependent, spatially correlated by demosaicing and mostly removed by camera
    processing and JPEG. Use it for robustness, at low levels, after the realistic
    transforms (Blur, LowResolution, JpegCompression, Lighting) have been tried.

    sigma: [low, high] standard deviation as a fraction of full intensity.
    per_channel: independent noise per colour channel (True) or the same for all (False).
    The noise is regenerated from a recorded seed, so params stay small.
    """

    def __init__(
        self, sigma: float | tuple[float, float] = (0.01, 0.05), per_channel: bool = True
    ) -> None:
        self.sigma = as_range("sigma", sigma, 0.0, 1.0)
        self.per_channel = bool(per_channel)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        return {"sigma": uniform(rng, self.sigma), "seed": draw_seed(rng)}

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        def noisy(colour: np.ndarray) -> np.ndarray:
            channels = colour.shape[2] if colour.ndim == 3 else 1
            shape = colour.shape[:2] if channels == 1 or not self.per_channel else colour.shape
            noise: np.ndarray = np.empty(shape, np.float32)
            # OpenCV's generator is per thread and several times faster than NumPy's normal
            # here; reseeded from the recorded seed, so a call replays exactly.
            cv2.setRNGSeed(params["seed"])
            cv2.randn(noise, 0.0, params["sigma"] * max_value(colour))  # type: ignore[call-overload]
            if noise.ndim == 2 and channels > 1:
                noise = cv2.merge([noise] * channels)
            if colour.dtype == np.uint8:
                return cv2.add(colour, noise, dtype=cv2.CV_8U).reshape(colour.shape)
            out = cv2.add(colour.astype(np.float32), noise).reshape(colour.shape)
            return from_float(out, colour.dtype)

        return colour_only(image, noisy)
