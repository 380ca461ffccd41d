"""Render one character crop from its params: pure, deterministic, and fast.

Glyphs are drawn at a supersampled size from a short list of sizes (`render_size`; those
below the size metrics are measured at are box-filtered from that render, so the glyph
cache stays small and FreeType draws each glyph about once), composed into a coverage
canvas with NumPy, shrunk to the output size with area averaging (anti-aliasing), then
blended between the background and the text colour.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from synth.fonts.files import resolve_font
from synth.fonts.glyphs import REFERENCE_SIZE, get_glyph
from synth.scene.backgrounds import BackgroundBank, render_background
from synth.scene.clutter import render_clutter

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


def _paste(canvas: np.ndarray, mask: np.ndarray, x: int, y: int) -> None:
    """Max-blend `mask` into `canvas` with its top-left at (x, y), clipped to the canvas."""
    h, w = mask.shape
    ch, cw = canvas.shape
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, cw), min(y + h, ch)
    if x0 >= x1 or y0 >= y1:
        return
    region = canvas[y0:y1, x0:x1]
    np.maximum(region, mask[y0 - y : y1 - y, x0 - x : x1 - x], out=region)


def render_coverage(
    params: dict[str, Any], fonts_root: str | Path | None = None, centre_mask: bool = False
) -> tuple[np.ndarray, np.ndarray | None, list[float]]:
    """Text coverage and, if asked, the centre glyph's own coverage (both uint8 (H, W),
    0..255), and the centre glyph's ink box in pixels."""
    path = resolve_font(params["font"], fonts_root)
    height, width = params["size"]
    wx0, wy0, wx1, wy1 = params["window"]
    em = render_size(params["supersample"] * height / (wy1 - wy0))
    ox, oy = math.floor(wx0 * em), math.floor(wy0 * em)
    cw, ch = max(1, math.ceil(wx1 * em) - ox), max(1, math.ceil(wy1 * em) - oy)
    canvas = np.zeros((ch, cw), np.uint8)
    stroke = round(params["stroke"] * em)
    glyph = get_glyph(path, em, stroke, params["char"])
    _paste(canvas, glyph.mask, glyph.left - ox, glyph.top - oy)
    centre = None
    if centre_mask:
        centre = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA)
    more = params["underline"] is not None or params["border"] is not None
    for side in (params["left"], params["right"]):
        if side is not None:
            other = get_glyph(path, em, stroke, side[0])
            if other.ink is not None:
                pen = round(side[1] * em)
                _paste(canvas, other.mask, pen + other.left - ox, other.top - oy)
                more = True
    if more or centre is None:
        render_clutter(canvas, (ox, oy), em, params["underline"], params["border"])
        coverage = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA)
    else:  # the centre glyph alone: its coverage is the whole coverage
        coverage = centre
    sx, sy = width / cw, height / ch
    x0, y0, x1, y1 = glyph.ink
    box = [
        min(max((x0 - ox) * sx, 0.0), float(width)),
        min(max((y0 - oy) * sy, 0.0), float(height)),
        min(max((x1 - ox) * sx, 0.0), float(width)),
        min(max((y1 - oy) * sy, 0.0), float(height)),
    ]
    return coverage, centre, box


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
    height, width = params["size"]
    text = params["text"]
    if params["background"]["kind"] == "flat":  # one affine map of coverage per channel
        paint = params["background"]["colour"]
        blend = [[(t - p) / 255.0, p] for t, p in zip(text, paint, strict=True)]
        image = cv2.transform(coverage, np.asarray(blend, dtype=np.float32))
    else:
        background = render_background(params["background"], (height, width), backgrounds)
        alpha = coverage * np.float32(1.0 / 255.0)
        # background - (background - text) * coverage, per channel; OpenCV's per-channel
        # scalars are several times faster than NumPy broadcasting over a trailing 3
        towards_text = cv2.subtract(background, (*map(float, text), 0.0))
        image = cv2.subtract(background, cv2.multiply(towards_text, cv2.merge((alpha,) * 3)))
        image = np.add(image, np.float32(0.5), out=image).astype(np.uint8)
    return image, centre, box


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
    rows, cols = inked.any(axis=2), inked.any(axis=1)
    height, width = masks.shape[1:]
    boxes: list[list[float] | None] = []
    for row, col in zip(rows, cols, strict=True):
        if not row.any():
            boxes.append(None)
            continue
        top, bottom = int(row.argmax()), height - int(row[::-1].argmax())
        left, right = int(col.argmax()), width - int(col[::-1].argmax())
        boxes.append([float(left), float(top), float(right), float(bottom)])
    return boxes
