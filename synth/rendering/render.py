"""Render character crops from their params: pure, deterministic, and fast.

Glyphs are drawn at a supersampled size from a short list of sizes (`render_size`; those
below the size metrics are measured at are box-filtered from that render, so the glyph
cache stays small and FreeType draws each glyph about once), composed into a coverage
canvas and shrunk to the output size with area averaging (anti-aliasing) by one compiled
call for a whole batch (`coverage_paint`), then blended between the background and the
text colour.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from synth.fonts.files import resolve_font
from synth.fonts.glyphs import REFERENCE_SIZE
from synth.rendering.canvas import ColourCanvas, GlyphCanvas
from synth.rendering.char_parts import BACKGROUND, CENTRE_GLYPH, CLUTTER, NEIGHBOURS
from synth.rendering.coverage_paint import paint_coverage
from synth.scene.backgrounds import BackgroundBank

LADDER_STEP = math.sqrt(2.0)
MIN_EM, MAX_EM = 8, 512


def ladder_size(pixels_per_em: float) -> int:
    """The smallest ladder size (8 * sqrt(2)^k px/em) at or above the request, capped."""
    k = max(0, math.ceil(math.log(max(pixels_per_em, MIN_EM) / MIN_EM, LADDER_STEP) - 1e-9))
    return int(min(MAX_EM, round(MIN_EM * LADDER_STEP**k)))


def render_size(pixels_per_em: float) -> int:
    """The glyph size a render draws at: the smallest of REFERENCE_SIZE / 2^k (glyphs
    box-filtered from the reference render, which sampling measured) or, above it, the
    ladder, at or above the request."""
    if pixels_per_em > REFERENCE_SIZE:
        return ladder_size(pixels_per_em)
    size = REFERENCE_SIZE
    while size % 2 == 0 and size // 2 >= max(pixels_per_em, MIN_EM):
        size //= 2
    return size


def glyph_canvas(params: Mapping[str, Any], fonts_root: str | Path | None) -> GlyphCanvas:
    """The empty coverage canvas of the crop window at the render's glyph size."""
    height = params["size"][0]
    wx0, wy0, wx1, wy1 = params["window"]
    em = render_size(params["supersample"] * height / (wy1 - wy0))
    ox, oy = math.floor(wx0 * em), math.floor(wy0 * em)
    cw, ch = max(1, math.ceil(wx1 * em) - ox), max(1, math.ceil(wy1 * em) - oy)
    path = resolve_font(params["font"], fonts_root)
    return GlyphCanvas((ch, cw), (ox, oy), em, str(path), round(params["stroke"] * em))


def render_coverages(
    params: Sequence[Mapping[str, Any]], fonts_root: str | Path | None, centre_mask: bool
) -> tuple[np.ndarray, np.ndarray | None, list[GlyphCanvas]]:
    """Text coverage (n, H, W) and, if asked, each centre glyph's own coverage (both uint8,
    0..255) of crops of one output size, and their painted canvases (`centre_box`)."""
    canvases = []
    for crop in params:
        canvas = glyph_canvas(crop, fonts_root)
        for part in (CENTRE_GLYPH, NEIGHBOURS, CLUTTER):
            part.render(crop, canvas)
        canvases.append(canvas)
    size = tuple(params[0]["size"]) if params else (0, 0)
    coverage, centre = paint_coverage(canvases, (size[0], size[1]), centre_mask)
    return coverage, centre, canvases


def render_coverage(
    params: Mapping[str, Any], fonts_root: str | Path | None = None, centre_mask: bool = False
) -> tuple[np.ndarray, np.ndarray | None, list[float]]:
    """`render_coverages` of one crop: its coverage (H, W), centre glyph's coverage (or
    None) and box."""
    coverage, centre, (canvas,) = render_coverages([params], fonts_root, centre_mask)
    return coverage[0], None if centre is None else centre[0], centre_box(canvas, params["size"])


def centre_box(canvas: GlyphCanvas, size: Sequence[int]) -> list[float]:
    """The centre glyph's ink box [x0, y0, x1, y1] in output pixels, clipped to the crop."""
    height, width = size
    ch, cw = canvas.shape
    sx, sy = width / cw, height / ch
    ox, oy = canvas.origin
    assert canvas.centre_ink is not None  # the centre glyph is pasted before the box is asked
    x0, y0, x1, y1 = canvas.centre_ink
    return [
        min(max((x0 - ox) * sx, 0.0), float(width)),
        min(max((y0 - oy) * sy, 0.0), float(height)),
        min(max((x1 - ox) * sx, 0.0), float(width)),
        min(max((y1 - oy) * sy, 0.0), float(height)),
    ]


def render_char(
    char: str,
    params: dict[str, Any],
    *,
    fonts_root: str | Path | None = None,
    backgrounds: BackgroundBank | None = None,
) -> tuple[np.ndarray, list[float]]:
    """The crop (uint8 (H, W, 3) RGB) and the centre glyph's box [x0, y0, x1, y1] in pixels.

    `params` come from `draw_render_params` (or a manifest row); `char` must match them.
    """
    image, _, box = render_layers(char, params, fonts_root=fonts_root, backgrounds=backgrounds)
    return image, box


def render_layers(
    char: str,
    params: dict[str, Any],
    *,
    fonts_root: str | Path | None = None,
    backgrounds: BackgroundBank | None = None,
    centre_mask: bool = False,
) -> tuple[np.ndarray, np.ndarray | None, list[float]]:
    """`render_char` plus, if asked, the centre glyph's coverage (uint8 (H, W)).

    The mask travels through augmentation as an alpha channel (geometry moves it,
    photometric steps leave alpha alone), so the box stays where the ink went.
    """
    if params["char"] != char:
        raise ValueError(f"params are for {params['char']!r}, not {char!r}")
    coverage, centre, box = render_coverage(params, fonts_root, centre_mask)
    canvas = ColourCanvas(coverage, backgrounds)
    BACKGROUND.render(params, canvas)
    assert canvas.image is not None  # the background's render sets it
    return canvas.image, centre, box


def mask_box(mask: np.ndarray, threshold: int = 64) -> list[float] | None:
    """Pixel-edge box [x0, y0, x1, y1] of mask values >= threshold (None if there are none)."""
    rows = np.flatnonzero((mask >= threshold).any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero((mask >= threshold).any(axis=0))
    return [float(cols[0]), float(rows[0]), float(cols[-1] + 1), float(rows[-1] + 1)]


def mask_boxes(masks: np.ndarray, threshold: int = 64) -> list[list[float] | None]:
    """`mask_box` for a stack (n, H, W) at once."""
    inked = masks >= threshold
    # numpy's stubs type any(axis=...) as possibly a scalar; with an axis it is an array
    rows: np.ndarray = inked.any(axis=2)  # type: ignore[assignment]
    cols: np.ndarray = inked.any(axis=1)  # type: ignore[assignment]
    height, width = masks.shape[1:]
    edges = np.stack(
        [
            cols.argmax(axis=1),
            rows.argmax(axis=1),
            width - cols[:, ::-1].argmax(axis=1),
            height - rows[:, ::-1].argmax(axis=1),
        ],
        axis=1,
    ).astype(np.float64)
    inks: list[bool] = rows.any(axis=1).tolist()  # type: ignore[assignment]
    return [box if has_ink else None for box, has_ink in zip(edges.tolist(), inks, strict=True)]
