"""Glyph coverage masks and metrics, cached per (font file, pixel size, stroke, character).

A render composes cached masks with NumPy instead of asking FreeType again: after the first
few hundred crops almost every glyph a run needs is in memory. Metrics are measured on the
same glyphs a default render draws (REFERENCE_SIZE is also the smallest render size), and
a stroked glyph is its plain glyph dilated with a disc, so FreeType rasterises each
(font, character) once per size however many stroke widths a run draws.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from synth.fonts.files import load_font
from synth.fonts.shared_glyphs import shared_between_forks

REFERENCE_SIZE = 128  # pixels per em at which metrics in em units are measured


@dataclass(frozen=True)
class Glyph:
    """A glyph's coverage mask placed relative to the pen origin on the baseline.

    mask: uint8 (h, w), trimmed to the ink; its top-left corner sits at (left, top) from
        the origin (y down).
    advance: horizontal pen advance in pixels.
    ink: (x0, y0, x1, y1) of the inked pixels relative to the origin, edges exclusive;
        None for a blank glyph.
    """

    mask: np.ndarray
    left: int
    top: int
    advance: float
    ink: tuple[int, int, int, int] | None


@functools.lru_cache(maxsize=65536)
def text_length(path: Path, size: int, text: str) -> float:
    """Pen advance of `text` (a character) at `size` px/em."""
    return float(load_font(path, size).getlength(text))


@functools.lru_cache(maxsize=64)
def _disc(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


@functools.lru_cache(maxsize=30000)
@shared_between_forks(Glyph)
def get_glyph(path: Path, size: int, stroke: int, char: str) -> Glyph:
    """`char` at `size` px/em with a `stroke`-pixel outline (synthetic bold), made once.

    The outline is the plain glyph dilated with a disc of radius `stroke`: what FreeType's
    round-join stroker draws, within a few grey levels on the edge pixels. Sizes that
    divide REFERENCE_SIZE are box-filtered from the reference render. Forked processes
    share what they render (`shared_glyphs`).
    """
    if stroke > 0:
        plain = get_glyph(path, size, 0, char)
        advance = plain.advance + stroke
        if plain.ink is None:
            return Glyph(plain.mask, plain.left, plain.top, advance, None)
        mask = cv2.dilate(np.pad(plain.mask, stroke), _disc(stroke))
        x0, y0, x1, y1 = plain.ink
        ink = (x0 - stroke, y0 - stroke, x1 + stroke, y1 + stroke)
        return Glyph(mask, ink[0], ink[1], advance, ink)
    if size < REFERENCE_SIZE and REFERENCE_SIZE % size == 0:
        return _shrunk(get_glyph(path, REFERENCE_SIZE, 0, char), REFERENCE_SIZE // size)
    advance = text_length(path, size, char)
    font = load_font(path, size)
    # FreeType boxes are whole pixels (Pillow annotates every font's box as float)
    left, top, right, bottom = (int(v) for v in font.getbbox(char, anchor="ls"))
    width, height = max(0, right - left), max(0, bottom - top)
    if width == 0 or height == 0:
        return Glyph(np.zeros((0, 0), np.uint8), left, top, advance, None)
    image = Image.new("L", (width, height), 0)
    ImageDraw.Draw(image).text((-left, -top), char, font=font, fill=255, anchor="ls")
    return _trimmed(np.asarray(image), left, top, advance)


def _trimmed(mask: np.ndarray, left: int, top: int, advance: float) -> Glyph:
    """The glyph of `mask` (top-left at (left, top)) cut to its inked pixels."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return Glyph(np.zeros((0, 0), np.uint8), left, top, advance, None)
    cols = np.flatnonzero(mask.any(axis=0))
    ink = (
        left + int(cols[0]),
        top + int(rows[0]),
        left + int(cols[-1]) + 1,
        top + int(rows[-1]) + 1,
    )
    mask = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    return Glyph(np.ascontiguousarray(mask), ink[0], ink[1], advance, ink)


def _shrunk(glyph: Glyph, factor: int) -> Glyph:
    """`glyph` at 1/`factor` of its size: each pixel the mean of a factor x factor block
    aligned to the pen origin, so placement stays exact (and edges are anti-aliased from
    the finer render)."""
    advance = glyph.advance / factor
    if glyph.ink is None:
        return Glyph(
            np.zeros((0, 0), np.uint8), glyph.left // factor, glyph.top // factor, advance, None
        )
    h, w = glyph.mask.shape
    pad_left, pad_top = glyph.left % factor, glyph.top % factor
    pad_right, pad_bottom = -(pad_left + w) % factor, -(pad_top + h) % factor
    mask = np.pad(glyph.mask, ((pad_top, pad_bottom), (pad_left, pad_right)))
    small = cv2.resize(
        mask, (mask.shape[1] // factor, mask.shape[0] // factor), interpolation=cv2.INTER_AREA
    )
    return _trimmed(
        small, (glyph.left - pad_left) // factor, (glyph.top - pad_top) // factor, advance
    )


@functools.lru_cache(maxsize=65536)
def ink_box_em(path: Path, char: str) -> tuple[float, float, float, float] | None:
    """The glyph's ink box in em units relative to the pen origin (y down), or None if blank."""
    ink = get_glyph(path, REFERENCE_SIZE, 0, char).ink
    if ink is None:
        return None
    x0, y0, x1, y1 = (v / REFERENCE_SIZE for v in ink)
    return x0, y0, x1, y1


@functools.lru_cache(maxsize=1024)
def line_metrics_em(path: Path) -> tuple[float, float]:
    """(ascent, descent) of the font's text line in em, both positive."""
    ascent, descent = load_font(path, REFERENCE_SIZE).getmetrics()
    return ascent / REFERENCE_SIZE, descent / REFERENCE_SIZE
