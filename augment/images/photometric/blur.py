"""Out-of-focus, shaken or soft images: Gaussian, motion and defocus blur."""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache

import cv2
import numpy as np

from augment.core.draws import choose, uniform
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range, check_choice
from augment.images.photometric.base import PhotometricTransform, short_side
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

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        kind = choose(rng, self.kinds)
        params = {"kind": kind, "size": uniform(rng, self.size)}
        if kind == "motion":
            params["angle"] = 180.0 * rng.random()
        return params

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        kernel = blur_kernels([params], short_side(image))[0]
        if kernel is None:
            return image
        return colour_only(image, lambda colour: convolve(colour, kernel))

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        """Kernels built together (their construction costs more than filtering a crop)."""
        if images.ndim == 4 and images.shape[3] == 4:
            return super().transform_batch(images, params)
        out = images.copy()
        for i, kernel in enumerate(blur_kernels(params, short_side(images[0]))):
            if kernel is not None:
                out[i] = convolve(images[i], kernel)
        return out


def blur_kernels(params: list[Params], side: int) -> list[np.ndarray | None]:
    """Each call's kernel for images whose shorter side is `side` (None: under 0.1 px, no blur).

    A Gaussian is a column kernel, applied along both axes.
    """
    px = [p["size"] * side for p in params]
    out: list[np.ndarray | None] = [None] * len(params)
    motion: list[int] = []
    defocus: list[int] = []
    for i, p in enumerate(params):
        if px[i] < 0.1:
            continue
        if p["kind"] == "gaussian":
            # an explicit separable kernel (3 sigma each side) is several times faster than
            # GaussianBlur's own for large sigma in current OpenCV builds
            out[i] = cv2.getGaussianKernel(2 * math.ceil(3 * px[i]) + 1, px[i])
        else:
            (motion if p["kind"] == "motion" else defocus).append(i)
    lines = motion_kernels([px[i] for i in motion], [params[i]["angle"] for i in motion])
    discs = disc_kernels([px[i] for i in defocus])
    for i, kernel in zip(motion + defocus, lines + discs, strict=True):
        out[i] = kernel
    return out


def convolve(colour: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Filter with a square kernel, or along both axes with a column kernel."""
    if kernel.shape[1] == 1:
        out = cv2.sepFilter2D(colour, -1, kernel, kernel, borderType=cv2.BORDER_REFLECT_101)
    else:
        out = cv2.filter2D(colour, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
    return out.reshape(colour.shape)


def motion_kernels(lengths: list[float], angles: list[float]) -> list[np.ndarray]:
    """Normalised anti-aliased lines of `lengths` pixels at `angles` degrees.

    Lines with the same kernel size are drawn together: per-kernel array calls would cost
    more than the blur itself.
    """
    kernels: list[np.ndarray] = [np.empty(0)] * len(lengths)
    for radius, index in _by_radius([max(1, math.ceil(v / 2)) for v in lengths]).items():
        size, m = 2 * radius + 1, len(index)
        half = np.array([lengths[i] for i in index]) / 2
        t = _linspace_rows(-half, half, 8 * size)  # (m, samples)
        cos = np.array([math.cos(math.radians(angles[i])) for i in index])[:, None]
        sin = np.array([math.sin(math.radians(angles[i])) for i in index])[:, None]
        x = radius + t * cos
        y = radius + t * sin
        x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
        fx, fy = x - x0, y - y0
        # bilinear splat of each line's sample points onto its own (size + 1)^2 grid
        corners = np.arange(m)[:, None] * (size + 1) ** 2 + [0, 1, size + 1, size + 2]
        cells = (y0 * (size + 1) + x0)[:, None] + corners[:, :, None]
        wx, wy = np.stack([1 - fx, fx], axis=1), np.stack([1 - fy, fy], axis=1)
        weights = wx[:, None] * wy[:, :, None]  # (m, 2, 2, samples): corners row by row
        grids = np.bincount(cells.ravel(), weights.ravel(), minlength=m * (size + 1) ** 2)
        grids = grids.reshape(m, size + 1, size + 1)[:, :size, :size]
        for i, kernel in zip(index, _normalised(grids), strict=True):
            kernels[i] = kernel
    return kernels


def disc_kernels(radii: list[float]) -> list[np.ndarray]:
    """Normalised discs of `radii` pixels with an anti-aliased edge."""
    kernels: list[np.ndarray] = [np.empty(0)] * len(radii)
    for r, index in _by_radius([max(1, math.ceil(v)) for v in radii]).items():
        radius = np.array([radii[i] for i in index])[:, None, None]
        discs = np.clip(radius + 0.5 - _distances(r), 0.0, 1.0)
        for i, kernel in zip(index, _normalised(discs), strict=True):
            kernels[i] = kernel
    return kernels


def _linspace_rows(start: np.ndarray, stop: np.ndarray, num: int) -> np.ndarray:
    """`np.linspace(start, stop, num, axis=-1)` for arrays (m,), by its own arithmetic
    (start + i * step, the last point exactly stop): its array form costs more here."""
    step = (stop - start) / (num - 1)
    rows = np.arange(num) * step[:, None] + start[:, None]
    rows[:, -1] = stop
    return rows


def _normalised(grids: np.ndarray) -> np.ndarray:
    """Each grid (k, s, s) divided by its sum, as float32. Each sum is taken on the grid
    alone: a batched sum may add in another order, and the kernels must not change."""
    sums = np.array([grid.sum() for grid in grids])
    return (grids / sums[:, None, None]).astype(np.float32)


def _by_radius(radii: list[int]) -> dict[int, list[int]]:
    """Indices of the kernels of each whole-pixel radius."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(radii):
        groups[r].append(i)
    return groups


@lru_cache(maxsize=64)
def _distances(r: int) -> np.ndarray:
    """(2r + 1, 2r + 1) distances of the pixels of a kernel from its centre."""
    y, x = np.mgrid[-r : r + 1, -r : r + 1]
    d = np.hypot(x, y)
    d.setflags(write=False)
    return d
