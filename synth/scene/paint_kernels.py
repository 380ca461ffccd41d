"""Compiled loops (numba) that paint a stack of crops from their text coverage.

Per crop the paint is a dozen whole-image passes (a background field, a colour per
channel, the blend towards the text colour); NumPy over a stack runs each pass through
memory separately, so one fused loop per pixel is several times faster. Every step keeps
the precision and order of the per-crop OpenCV/NumPy render it replaces (float32 steps,
OpenCV's `transform` in double; numba contracts no multiply-add), so the bytes are equal.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _blend(layer, coverage, text):
    """One channel: layer - (layer - text) * coverage / 255, + 0.5, truncated, in float32."""
    alpha = np.float32(coverage) * np.float32(1.0 / 255.0)
    towards = np.float32(layer) - np.float32(text)
    value = np.float32(np.float32(layer) - np.float32(towards * alpha)) + np.float32(0.5)
    return np.uint8(value)


@numba.njit(cache=True, nogil=True)
def _transformed(field, scale, offset):
    """OpenCV's `transform` of one float32 value: float32 coefficients, double arithmetic."""
    return np.float32(np.float64(field) * np.float64(scale) + np.float64(offset))


@numba.njit(cache=True, nogil=True)
def paint_flat(coverage, tables, rows, out) -> None:
    """out[rows[i]] = tables[i, c, coverage[rows[i]]] for each channel c."""
    for i in range(rows.shape[0]):
        r = rows[i]
        for y in range(coverage.shape[1]):
            for x in range(coverage.shape[2]):
                v = coverage[r, y, x]
                for c in range(3):
                    out[r, y, x, c] = tables[i, c, v]


@numba.njit(cache=True, nogil=True)
def paint_gradient(coverage, grid, turns, ends, texts, rows, out) -> None:
    """Gradient backgrounds blended with the text. grid: (2, H, W) x and y from the centre;
    turns: (m, 2) cos and sin of each angle; ends: (m, 2, 3) start and end colours."""
    xs, ys = grid[0], grid[1]
    h, w = xs.shape
    ramp = np.empty((h, w), np.float32)
    for i in range(rows.shape[0]):
        r = rows[i]
        cos, sin = turns[i, 0], turns[i, 1]
        span = np.float32(0.0)
        for y in range(h):
            for x in range(w):
                ramp[y, x] = np.float32(xs[y, x] * cos) + np.float32(ys[y, x] * sin)
                span = max(span, abs(ramp[y, x]))
        span = np.float32(max(np.float64(span), 1e-6))
        for y in range(h):
            for x in range(w):
                t = np.float32(np.float32(ramp[y, x] / span) + np.float32(1.0)) * np.float32(0.5)
                for c in range(3):
                    start = np.float32(ends[i, 0, c])
                    scale = np.float32(ends[i, 1, c] - ends[i, 0, c])
                    layer = _transformed(t, scale, start)
                    out[r, y, x, c] = _blend(layer, coverage[r, y, x], texts[i, c])


@numba.njit(cache=True, nogil=True)
def paint_noise(coverage, fields, colours, texts, rows, out) -> None:
    """Noise textures (`fields`: the cells upscaled, times the amplitude, plus grain)
    around the base colour, clipped, blended with the text."""
    for i in range(rows.shape[0]):
        r = rows[i]
        for y in range(fields.shape[1]):
            for x in range(fields.shape[2]):
                for c in range(3):
                    layer = _transformed(fields[i, y, x], np.float32(1.0), colours[i, c])
                    layer = min(max(layer, np.float32(0.0)), np.float32(255.0))
                    out[r, y, x, c] = _blend(layer, coverage[r, y, x], texts[i, c])


@numba.njit(cache=True, nogil=True)
def paint_layers(coverage, layers, texts, rows, out) -> None:
    """Backgrounds given as float32 layers (photo crops) blended with the text."""
    for i in range(rows.shape[0]):
        r = rows[i]
        for y in range(layers.shape[1]):
            for x in range(layers.shape[2]):
                for c in range(3):
                    out[r, y, x, c] = _blend(layers[i, y, x, c], coverage[r, y, x], texts[i, c])
