"""Glyph coverage masks and metrics, cached per (font file, pixel size, stroke, character).

A render composes cached masks with NumPy instead of asking FreeType again: after the first
few hundred crops almost every glyph a run needs is in memory.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from synth.fonts import load_font

REFERENCE_SIZE = 100  # pixels per em at which metrics in em units are measured


@dataclass(frozen=True)
class Glyph:
    """A glyph's coverage mask placed relative to the pen origin on the baseline.

    mask: uint8 (h, w); its top-left corner sits at (left, top) from the origin (y down).
    advance: horizontal pen advance in pixels.
    ink: (x0, y0, x1, y1) of the inked pixels relative to the origin, edges exclusive;
        None for a blank glyph.
    """

    mask: np.ndarray
    left: int
    top: int
    advance: float
    ink: tuple[int, int, int, int] | None


@functools.lru_cache(maxsize=30000)
def get_glyph(path: Path, size: int, stroke: int, char: str) -> Glyph:
    """Render `char` once at `size` px/em with a `stroke`-pixel outline (synthetic bold)."""
    font = load_font(path, size)
    left, top, right, bottom = font.getbbox(char, anchor="ls", stroke_width=stroke)
    width, height = max(0, right - left), max(0, bottom - top)
    advance = float(font.getlength(char)) + stroke
    if width == 0 or height == 0:
        return Glyph(np.zeros((0, 0), np.uint8), left, top, advance, None)
    image = Image.new("L", (width, height), 0)
    ImageDraw.Draw(image).text(
        (-left, -top), char, font=font, fill=255, anchor="ls",
        stroke_width=stroke, stroke_fill=255,
    )
    mask = np.asarray(image)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return Glyph(mask, left, top, advance, None)
    ink = (
        left + int(cols[0]), top + int(rows[0]), left + int(cols[-1]) + 1, top + int(rows[-1]) + 1
    )
    mask = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    return Glyph(np.ascontiguousarray(mask), ink[0], ink[1], advance, ink)


@functools.lru_cache(maxsize=65536)
def kerning(path: Path, size: int, first: str, second: str) -> float:
    """Extra pen shift between two characters (negative pulls them together), in pixels."""
    font = load_font(path, size)
    return float(font.getlength(first + second) - font.getlength(first) - font.getlength(second))


@functools.lru_cache(maxsize=65536)
def ink_box_em(path: Path, char: str) -> tuple[float, float, float, float] | None:
    """The glyph's ink box in em units relative to the pen origin (y down), or None if blank."""
    ink = get_glyph(path, REFERENCE_SIZE, 0, char).ink
    return None if ink is None else tuple(v / REFERENCE_SIZE for v in ink)


def advance_em(path: Path, char: str) -> float:
    return get_glyph(path, REFERENCE_SIZE, 0, char).advance / REFERENCE_SIZE


def kerning_em(path: Path, first: str, second: str) -> float:
    return kerning(path, REFERENCE_SIZE, first, second) / REFERENCE_SIZE


@functools.lru_cache(maxsize=1024)
def line_metrics_em(path: Path) -> tuple[float, float]:
    """(ascent, descent) of the font's text line in em, both positive."""
    ascent, descent = load_font(path, REFERENCE_SIZE).getmetrics()
    return ascent / REFERENCE_SIZE, descent / REFERENCE_SIZE
