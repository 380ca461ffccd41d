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

from synth.rendering.area_shrink import area_average
from synth.rendering.canvas import GlyphCanvas
from synth.rendering.glyph_atlas import ATLAS


@numba.njit(cache=True, nogil=True)
def _paste(canvas, pixels, entry, x, y) -> None:
    """Max-blend the atlas glyph `entry` (offset, h, w, left, top) with its pen origin at
    canvas (x, y), clipped to the canvas."""
    offset, h, w = entry[0], entry[1], entry[2]
    gx, gy = x + entry[3], y + entry[4]
    ch, cw = canvas.shape
    for r in range(max(gy, 0), min(gy + h, ch)):
        row = offset + (r - gy) * w - gx
        line = canvas[r]
        for c in range(max(gx, 0), min(gx + w, cw)):
            line[c] = max(line[c], pixels[row + c])


@numba.njit(cache=True, nogil=True)
def _fill(canvas, line) -> None:
    """Full ink on the rows (line[0] == 0) or columns line[1]..line[2]-1, clipped."""
    ch, cw = canvas.shape
    if line[0] == 0:
        canvas[max(line[1], 0) : min(max(line[2], 0), ch), :] = 255
    else:
        canvas[:, max(line[1], 0) : min(max(line[2], 0), cw)] = 255


@numba.njit(cache=True, nogil=True)
def _paint(atlas, shapes, glyph_list, line_list, centre, out) -> None:
    """For crop i: its glyphs glyph_ends[i-1, 1]..glyph_ends[i, 1] (the centre glyph's end
    at glyph_ends[i, 0]) and lines line_ends[i-1]..line_ends[i] painted on a shapes[i]
    canvas, area-averaged into out[i]; the centre glyph alone into centre[i] if centre has
    rows. atlas: (pixels, table); glyph_list: (glyphs, glyph_ends); line_list likewise."""
    (pixels, table), (glyphs, glyph_ends), (lines, line_ends) = atlas, glyph_list, line_list
    scratch = np.zeros(shapes[:, 0].max() * shapes[:, 1].max(), np.uint8)
    glyph_start, line_start = 0, 0
    for i in range(shapes.shape[0]):
        canvas = scratch[: shapes[i, 0] * shapes[i, 1]].reshape(shapes[i, 0], shapes[i, 1])
        canvas[:] = 0
        centre_end, glyph_end, line_end = glyph_ends[i, 0], glyph_ends[i, 1], line_ends[i]
        for g in range(glyph_start, centre_end):
            _paste(canvas, pixels, table[glyphs[g, 0]], glyphs[g, 1], glyphs[g, 2])
        alone = centre_end == glyph_end and line_start == line_end
        if centre.shape[0] > 0 and not alone:
            area_average(canvas, centre[i])
        for g in range(centre_end, glyph_end):
            _paste(canvas, pixels, table[glyphs[g, 0]], glyphs[g, 1], glyphs[g, 2])
        for k in range(line_start, line_end):
            _fill(canvas, lines[k])
        area_average(canvas, out[i])
        if centre.shape[0] > 0 and alone:
            centre[i] = out[i]
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
