"""Out-of-focus, shaken or soft images: Gaussian, motion and defocus blur."""

from __future__ import annotations

import math

import cv2
import numpy as np

from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_choice
from augment.images.photometric.base import PhotometricTransform, choose, short_side, uniform
from augment.images.pixels import colour_only

KINDS = ("gaussian", "motion", "defocus")


@register
class Blur(PhotometricTransform):
    """Blur with a kernel whose size is a fraction of the shorter side.

    Realistic for photos: "defocus" (a disc) for a camera focused elsewhere, "motion" (a
    line at a random angle) for hand shake and moving objects, "gaussian" for soft optics,
    upscaled crops and scanner blur.

    kinds: the kernels to choose from, uniformly, per call.
    size: [low, high] fraction of the shorter side: the Gaussian sigma, the motion length,
        the defocus radius.
    """

    def __init__(
        self,
        kinds: list[str] | tuple[str, ...] = KINDS,
        size: float | tuple[float, float] = (0.01, 0.04),
    ) -> None:
        if isinstance(kinds, str) or not kinds:
            raise ConfigError("kinds", f"expected a non-empty list from {list(KINDS)}")
        self.kinds = [check_choice("kinds", k, KINDS) for k in kinds]
        self.size = as_range("size", size, 0.0, 0.5)

    def sample_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        kind = choose(rng, self.kinds)
        params = {"kind": kind, "size": uniform(rng, self.size)}
        if kind == "motion":
            params["angle"] = 180.0 * rng.random()
        return params

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        px = params["size"] * short_side(image)
        if px < 0.1:
            return image
        kind = params["kind"]

        def blur(colour: np.ndarray) -> np.ndarray:
            if kind == "gaussian":
                # an explicit separable kernel (3 sigma each side) is several times faster
                # than GaussianBlur's own for large sigma in current OpenCV builds
                k = cv2.getGaussianKernel(2 * math.ceil(3 * px) + 1, px)
                out = cv2.sepFilter2D(colour, -1, k, k, borderType=cv2.BORDER_REFLECT_101)
            else:
                kernel = motion_kernel(px, params["angle"]) if kind == "motion" else disc_kernel(px)
                out = cv2.filter2D(colour, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
            return out.reshape(colour.shape)

        return colour_only(image, blur)


def motion_kernel(length: float, angle: float) -> np.ndarray:
    """A normalised anti-aliased line of `length` pixels at `angle` degrees."""
    radius = max(1, math.ceil(length / 2))
    size = 2 * radius + 1
    t = np.linspace(-length / 2, length / 2, 8 * size)
    x = radius + t * math.cos(math.radians(angle))
    y = radius + t * math.sin(math.radians(angle))
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    # bilinear splat of the line's sample points onto a (size + 1)^2 grid
    cells = np.concatenate([y0 * (size + 1) + x0 + d for d in (0, 1, size + 1, size + 2)])
    weights = np.concatenate([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy])
    kernel = np.bincount(cells, weights, minlength=(size + 1) ** 2)
    kernel = kernel.reshape(size + 1, size + 1)[:size, :size]
    return (kernel / kernel.sum()).astype(np.float32)


def disc_kernel(radius: float) -> np.ndarray:
    """A normalised disc of `radius` pixels with an anti-aliased edge."""
    r = max(1, math.ceil(radius))
    y, x = np.mgrid[-r : r + 1, -r : r + 1]
    kernel = np.clip(radius + 0.5 - np.hypot(x, y), 0.0, 1.0)
    return (kernel / kernel.sum()).astype(np.float32)
