"""Area averaging (OpenCV's INTER_AREA) as a compiled loop the coverage paint calls.

Every crop's glyph canvas is brought to the output size by area averaging, once or twice
(with and without the neighbours): each output pixel is the mean of the canvas area it
covers. For fractional shrinks this is OpenCV's INTER_AREA byte for byte: OpenCV walks
each source row entry by entry; this loop does the same float32 sums in the same order per
output pixel, but for all rows at once along a transposed copy, which the compiler
vectorises (numba; no multiply-add is contracted, so the rounding is OpenCV's). Whole
factors and enlargements (narrow glyphs stretched across an ink-box crop) take the same
area weights, which OpenCV computes by other routes (within a grey level of them).
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _tables(source: int, target: int):
    """For each source pixel that overlaps an output pixel: (output index, source index,
    weight), in OpenCV's order (computeResizeAreaTab: doubles, weights rounded to float)."""
    scale = source / target
    dest = np.empty(2 * (source + target), np.int64)
    index = np.empty(2 * (source + target), np.int64)
    alpha = np.empty(2 * (source + target), np.float32)
    k = 0
    for d in range(target):
        f1 = d * scale
        f2 = f1 + scale
        cell = min(scale, source - f1)
        s2 = min(math.floor(f2), source - 1)
        s1 = min(math.ceil(f1), s2)
        if s1 - f1 > 1e-3:
            dest[k], index[k], alpha[k] = d, s1 - 1, np.float32((s1 - f1) / cell)
            k += 1
        for s in range(s1, s2):
            dest[k], index[k], alpha[k] = d, s, np.float32(1.0 / cell)
            k += 1
        if f2 - s2 > 1e-3:
            dest[k], index[k], alpha[k] = d, s2, np.float32(min(f2 - s2, 1.0, cell) / cell)
            k += 1
    return dest[:k], index[:k], alpha[:k]


@numba.njit(cache=True, nogil=True)
def area_average(src, out) -> None:
    """The horizontal pass for all rows at once (on the transposed source), then the
    vertical pass, then rounding half to even and saturating, as OpenCV does."""
    ch, cw = src.shape
    h, w = out.shape
    xd, xi, xa = _tables(cw, w)
    yd, yi, ya = _tables(ch, h)
    columns = np.empty((cw, ch), np.float32)  # the source transposed: columns contiguous
    for r in range(ch):
        for c in range(cw):
            columns[c, r] = src[r, c]
    across = np.zeros((w, ch), np.float32)
    for k in range(xd.shape[0]):
        target, column, weight = across[xd[k]], columns[xi[k]], xa[k]
        for r in range(ch):
            target[r] += column[r] * weight
    rows = np.ascontiguousarray(across.T)
    acc = np.zeros((h, w), np.float32)
    for j in range(yd.shape[0]):
        target, row, weight = acc[yd[j]], rows[yi[j]], ya[j]
        for x in range(w):
            target[x] += row[x] * weight
    for y in range(h):
        for x in range(w):
            out[y, x] = min(max(np.rint(acc[y, x]), 0), 255)
