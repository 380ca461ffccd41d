"""The character itself: its outline (synthetic bold) and the crop window around it.

The window is an ink-box crop (the glyph's ink plus a margin, stretched to the output
size, like boxes from a detector) or a line crop (the text line's height, like fixed-height
crops cut from words).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from augment.core.draws import uniform_always
from augment.core.errors import AugsynthError
from synth.fonts.glyphs import get_glyph, ink_box_em, line_metrics_em
from synth.rendering.canvas import GlyphCanvas
from synth.rendering.context import CharContext
from synth.run.options import RenderOptions

SMALL_INK = 0.3  # em: smaller glyphs (. , - ') get a line crop, never an ink-box crop


def draw_window(
    rng: np.random.Generator, path: Path, char: str, stroke: float, options: RenderOptions
) -> tuple[list[float], str]:
    """The crop in em around the pen origin (y down): an ink-box crop or a line crop."""
    ink = ink_box_em(path, char)
    if ink is None:
        raise AugsynthError(f"{path}: character {char!r} renders blank")
    x0, y0, x1, y1 = ink[0] - stroke, ink[1] - stroke, ink[2] + stroke, ink[3] + stroke
    height, width = options.size
    small = max(y1 - y0, x1 - x0) < SMALL_INK or unicodedata.category(char)[0] in "PS"
    line = rng.random() < options.p_line_crop
    if small or line:
        ascent, descent = line_metrics_em(path)
        top = -ascent * uniform_always(rng, (0.8, 1.05))
        bottom = descent * uniform_always(rng, (0.5, 1.1))
        half = (bottom - top) * width / height / 2
        centre = (x0 + x1) / 2 + (bottom - top) * 0.08 * (rng.random() - 0.5)
        return [centre - half, top, centre + half, bottom], "line"
    ink_h = y1 - y0
    ref_w = max(x1 - x0, 0.4 * ink_h)
    m = [uniform_always(rng, options.margin) for _ in range(4)]
    return [x0 - m[0] * ref_w, y0 - m[1] * ink_h, x1 + m[2] * ref_w, y1 + m[3] * ink_h], "ink"


class CentreGlyph:
    """The part that draws the outline width and the crop window, and pastes the glyph."""

    def draw(self, rng: np.random.Generator, context: CharContext) -> dict[str, Any]:
        options = context.options
        stroke = uniform_always(rng, options.stroke) if rng.random() < options.p_stroke else 0.0
        window, crop = draw_window(rng, context.path, context.char, stroke, options)
        return {"crop": crop, "window": [float(v) for v in window], "stroke": float(stroke)}

    def render(self, params: Mapping[str, Any], canvas: GlyphCanvas) -> None:
        glyph = get_glyph(canvas.path, canvas.em, canvas.stroke, params["char"])
        canvas.paste(glyph)
        canvas.centre_ink = glyph.ink
