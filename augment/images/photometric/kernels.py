"""Compiled loops (numba) for colour steps on a stack of small crops.

NumPy runs each pass of a colour step (to float, multiply, scale, round, clip, back to
uint8) through memory separately and allocates for each; one loop per pixel does them all at
once. Each loop keeps the float32 operations and their order of the NumPy code it replaces
(numba contracts no multiply-add), so the bytes are equal.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def multiply_uint8(images, fields, out) -> None:
    """out = images * fields per pixel (uint8 stacks (n, P, C), float32 fields (n, P)) as
    `from_float(to_float(images) * fields, uint8)`: x / 255 in float32, times the field,
    times 255, plus 0.5, clipped to 0..255, truncated."""
    scale = np.float32(1.0 / 255.0)
    for k in range(images.shape[0]):
        for p in range(images.shape[1]):
            f = fields[k, p]
            for c in range(images.shape[2]):
                value = np.float32(np.float32(images[k, p, c]) * scale) * f
                value = np.float32(value * np.float32(255.0)) + np.float32(0.5)
                out[k, p, c] = np.uint8(min(max(value, np.float32(0.0)), np.float32(255.0)))


@numba.njit(cache=True, nogil=True)
def ramps(xs, ys, cos, sin, half_extent, out) -> None:
    """out[k] = float32((ys * sin[k] + xs * cos[k]) / half_extent[k]) in float64, as NumPy
    computes it with broadcasting: each image's position along its own direction."""
    for k in range(out.shape[0]):
        for p in range(out.shape[1]):
            out[k, p] = np.float32((ys[p] * sin[k] + xs[p] * cos[k]) / half_extent[k])
