"""The random draw of a render: every choice made here, as plain JSON-able params.

`render_char(char, params)` then makes the pixels with no randomness, so a manifest row
replays exactly and a training loop can log, filter or re-render what it saw.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from augment.core.errors import AugsynthError
from synth.fonts.coverage import CoverageCache, usable_chars
from synth.fonts.files import resolve_font
from synth.fonts.glyphs import ink_box_em, line_metrics_em
from synth.run.options import RenderOptions
from synth.scene.backgrounds import BackgroundBank, draw_background
from synth.scene.clutter import draw_clutter
from synth.scene.colours import pick_text_colour
from synth.scene.neighbours import draw_neighbours

SMALL_INK = 0.3  # em: smaller glyphs (. , - ') get a line crop, never an ink-box crop
_coverage = CoverageCache()
_DEFAULT_OPTIONS = RenderOptions()


def _uniform(rng: np.random.Generator, pair: tuple[float, float]) -> float:
    return float(pair[0] + (pair[1] - pair[0]) * rng.random())


def _window(
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
        top = -ascent * _uniform(rng, (0.8, 1.05))
        bottom = descent * _uniform(rng, (0.5, 1.1))
        half = (bottom - top) * width / height / 2
        centre = (x0 + x1) / 2 + (bottom - top) * 0.08 * (rng.random() - 0.5)
        return [centre - half, top, centre + half, bottom], "line"
    ink_h = y1 - y0
    ref_w = max(x1 - x0, 0.4 * ink_h)
    m = [_uniform(rng, options.margin) for _ in range(4)]
    return [x0 - m[0] * ref_w, y0 - m[1] * ink_h, x1 + m[2] * ref_w, y1 + m[3] * ink_h], "ink"


def draw_render_params(
    rng: np.random.Generator,
    char: str,
    font: str | Path,
    *,
    options: RenderOptions | None = None,
    fonts_root: str | Path | None = None,
    backgrounds: BackgroundBank | None = None,
    neighbours: str | None = None,
) -> dict[str, Any]:
    """Draw everything a render needs: crop window, stroke, neighbours, clutter, colours.

    `font` is a path (relative ones are taken under `fonts_root`, default the bundled
    fonts) and must cover `char`. `neighbours` are the characters that may stand beside
    it (default: the options' pool, filtered to what the font covers).
    """
    options = options or _DEFAULT_OPTIONS
    path = resolve_font(font, fonts_root)
    if neighbours is None:
        neighbours = usable_chars(path, options.neighbours, _coverage)
    stroke = _uniform(rng, options.stroke) if rng.random() < options.p_stroke else 0.0
    window, crop = _window(rng, path, char, stroke, options)
    left, right = draw_neighbours(
        rng, path, char, neighbours, options.p_neighbour, options.tracking, stroke
    )
    underline, border = draw_clutter(rng, window, options.p_underline, options.p_border)
    background, refs = draw_background(
        rng, options.backgrounds, options.size, backgrounds, options.min_contrast
    )
    text = pick_text_colour(rng, refs, options.min_contrast, options.p_dark_text)
    return {
        "char": char,
        "font": str(font),
        "size": list(options.size),
        "crop": crop,
        "window": [float(v) for v in window],
        "stroke": float(stroke),
        "left": left,
        "right": right,
        "underline": underline,
        "border": border,
        "text": text,
        "background": background,
        "supersample": float(options.supersample),
    }
