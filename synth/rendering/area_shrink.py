"""Area averaging (OpenCV's INTER_AREA) as a compiled loop the coverage paint calls.

Every crop's glyph canvas is brought to the output size by area averaging, once or twice
(with and without the neighbours): each output pixel is the mean of the canvas area it
covers. For fractional shrinks this is OpenCV's INTER_AREA byte for byte: OpenCV walks
each source row entry by entry; this loop does the same float32 sums in the same order per
output pixel, but for all rows at once along the canvas's columns (the coverage paint keeps
its canvas column by column), which the compiler vectorises (numba; no multiply-add is
contracted, so the rounding is OpenCV's). Only the canvas's inked box is read: a zero
pixel adds exactly nothing to a sum of non-negative terms, so the bytes are those of the
whole canvas. Whole factors and enlargements (narrow glyphs stretched across an ink-box
crop) take the same area weights, which OpenCV computes by other routes (within a grey
level of them).
"""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def shrink_table(source: int, target: int):
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
def area_average_columns(columns, out, box, across_table, down_table) -> None:
    """Area-average the source held column by column (columns[c, r] = source[r, c], uint8)
    into out (h, w), reading only its box (r0, r1, c0, c1; zero elsewhere). The tables are
    `shrink_table` of the source's width to w and of its height to h. The horizontal pass
    for all rows at once, then the vertical pass output row by output row, each rounded
    half to even and saturated as OpenCV does."""
    w = out.shape[1]
    r0, r1, c0, c1 = box[0], box[1], box[2], box[3]
    xd, xi, xa = across_table
    yd, yi, ya = down_table
    rows = max(r1 - r0, 0)
    across = np.zeros((w, rows), np.float32)
    for k in range(xd.shape[0]):
        if c0 <= xi[k] < c1:
            target, column, weight = across[xd[k]], columns[xi[k], r0 : r0 + rows], xa[k]
            for r in range(rows):
                target[r] += np.float32(column[r]) * weight
    by_row = np.ascontiguousarray(across.T)
    line = np.zeros(w, np.float32)  # the output row being summed
    for j in range(yd.shape[0]):
        if r0 <= yi[j] < r1:
            row, weight = by_row[yi[j] - r0], ya[j]
            for x in range(w):
                line[x] += row[x] * weight
        if j + 1 == yd.shape[0] or yd[j + 1] != yd[j]:
            for x in range(w):
                out[yd[j], x] = min(max(np.rint(line[x]), 0), 255)
                line[x] = 0


@numba.njit(cache=True, nogil=True)
def area_average(src, out) -> None:
    """Area-average a whole uint8 source (ch, cw) into out (h, w)."""
    ch, cw = src.shape
    h, w = out.shape
    box = np.array([0, ch, 0, cw], np.int64)
    columns = np.ascontiguousarray(src.T)
    area_average_columns(columns, out, box, shrink_table(cw, w), shrink_table(ch, h))
