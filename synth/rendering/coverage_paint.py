"""The text coverage of a batch of crops painted by one compiled call (numba).

Each crop's parts record what they paint on its `GlyphCanvas` (glyphs by atlas slot,
filled lines); this loop carries it out crop by crop in a scratch canvas (max-blending the
glyphs, filling the lines) and area-averages the canvas to the output size, with the
centre glyph alone first when its own coverage is asked. One call per batch replaces a
dozen NumPy and OpenCV calls per crop; each crop's bytes depend only on its own canvas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numba
import numpy as np

from synth.rendering.area_shrink import area_average_columns, shrink_table
from synth.rendering.canvas import GlyphCanvas
from synth.rendering.glyph_atlas import ATLAS


@numba.njit(cache=True, nogil=True)
def _paste(canvas, pixels, entry, x, y, box) -> None:
    """Max-blend the atlas glyph `entry` (offset, h, w, left, top; stored column by
    column) with its pen origin at canvas (x, y), clipped to the canvas (held column by
    column: canvas[c, r]); box (r0, r1, c0, c1) grows to cover it."""
    offset, h, w = entry[0], entry[1], entry[2]
    gx, gy = x + entry[3], y + entry[4]
    cw, ch = canvas.shape
    r_lo, r_hi, c_lo, c_hi = max(gy, 0), min(gy + h, ch), max(gx, 0), min(gx + w, cw)
    if r_lo >= r_hi or c_lo >= c_hi:
        return
    for c in range(c_lo, c_hi):
        start = offset + (c - gx) * h - gy
        line = canvas[c]
        for r in range(r_lo, r_hi):
            line[r] = max(line[r], pixels[start + r])
    _grow(box, r_lo, r_hi, c_lo, c_hi)


@numba.njit(cache=True, nogil=True)
def _fill(canvas, line, box) -> None:
    """Full ink on the rows (line[0] == 0) or columns line[1]..line[2]-1, clipped."""
    cw, ch = canvas.shape
    if line[0] == 0:
        r_lo, r_hi, c_lo, c_hi = max(line[1], 0), min(max(line[2], 0), ch), 0, cw
    else:
        r_lo, r_hi, c_lo, c_hi = 0, ch, max(line[1], 0), min(max(line[2], 0), cw)
    if r_lo < r_hi and c_lo < c_hi:
        canvas[c_lo:c_hi, r_lo:r_hi] = 255
        _grow(box, r_lo, r_hi, c_lo, c_hi)


@numba.njit(cache=True, nogil=True)
def _grow(box, r_lo, r_hi, c_lo, c_hi) -> None:
    """The box (r0, r1, c0, c1) widened to cover rows r_lo..r_hi-1, columns c_lo..c_hi-1."""
    box[0], box[1] = min(box[0], r_lo), max(box[1], r_hi)
    box[2], box[3] = min(box[2], c_lo), max(box[3], c_hi)


@numba.njit(cache=True, nogil=True)
def _paint(atlas, shapes, glyph_list, line_list, centre, out) -> None:
    """For crop i: its glyphs glyph_ends[i-1, 1]..glyph_ends[i, 1] (the centre glyph's end
    at glyph_ends[i, 0]) and lines line_ends[i-1]..line_ends[i] painted on a shapes[i]
    canvas, area-averaged into out[i]; the centre glyph alone into centre[i] if centre has
    rows. atlas: (pixels, table); glyph_list: (glyphs, glyph_ends); line_list likewise.
    The scratch canvas is held column by column and only its painted box is read and
    cleared after each crop."""
    (pixels, table), (glyphs, glyph_ends), (lines, line_ends) = atlas, glyph_list, line_list
    scratch = np.zeros(shapes[:, 0].max() * shapes[:, 1].max(), np.uint8)
    box = np.empty(4, np.int64)
    glyph_start, line_start = 0, 0
    for i in range(shapes.shape[0]):
        ch, cw = shapes[i, 0], shapes[i, 1]
        canvas = scratch[: ch * cw].reshape(cw, ch)
        box[0], box[1], box[2], box[3] = ch, 0, cw, 0
        tables = shrink_table(cw, out.shape[2]), shrink_table(ch, out.shape[1])
        centre_end, glyph_end, line_end = glyph_ends[i, 0], glyph_ends[i, 1], line_ends[i]
        for g in range(glyph_start, centre_end):
            _paste(canvas, pixels, table[glyphs[g, 0]], glyphs[g, 1], glyphs[g, 2], box)
        alone = centre_end == glyph_end and line_start == line_end
        if centre.shape[0] > 0 and not alone:
            area_average_columns(canvas, centre[i], box, tables[0], tables[1])
        for g in range(centre_end, glyph_end):
            _paste(canvas, pixels, table[glyphs[g, 0]], glyphs[g, 1], glyphs[g, 2], box)
        for k in range(line_start, line_end):
            _fill(canvas, lines[k], box)
        area_average_columns(canvas, out[i], box, tables[0], tables[1])
        if centre.shape[0] > 0 and alone:
            centre[i] = out[i]
        canvas[box[2] : box[3], box[0] : box[1]] = 0
        glyph_start, line_start = glyph_end, line_end


def paint_coverage(
    canvases: Sequence[GlyphCanvas], size: tuple[int, int], centre_mask: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Coverage (n, H, W) uint8 of the painted canvases at the output `size`, and if asked
    the coverage of each canvas's centre glyph alone."""
    n = len(canvases)
    shapes = np.asarray([canvas.shape for canvas in canvases], np.int64).reshape(n, 2)
    glyphs = [g for canvas in canvases for g in canvas.glyphs]
    lines = [line for canvas in canvases for line in canvas.lines]
    glyph_ends = np.empty((n, 2), np.int64)
    glyph_ends[:, 1] = np.cumsum([len(canvas.glyphs) for canvas in canvases])
    glyph_ends[:, 0] = glyph_ends[:, 1] - [canvas.glyphs_after_centre() for canvas in canvases]
    line_ends = np.cumsum([len(canvas.lines) for canvas in canvases], dtype=np.int64)
    out = np.empty((n, *size), np.uint8)
    centre = np.empty((n if centre_mask else 0, *size), np.uint8)
    _paint(
        (ATLAS.pixels, ATLAS.table),
        shapes,
        (np.asarray(glyphs, np.int64).reshape(-1, 3), glyph_ends),
        (np.asarray(lines, np.int64).reshape(-1, 3), line_ends),
        centre,
        out,
    )
    return out, centre if centre_mask else None
