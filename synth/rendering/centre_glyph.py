"""The character itself: its outline (synthetic bold) and the crop window around it.

The window is an ink-box crop (the glyph's ink plus a margin, stretched to the output
size, like boxes from a detector; with `crop_aspect`, widened to a drawn aspect first, like
boxes people draw) or a line crop (the text line's height, like fixed-height crops cut from
words).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from augment.core.errors import AugsynthError
from synth.fonts.glyphs import ink_box_em, line_metrics_em
from synth.rendering.canvas import GlyphCanvas
from synth.rendering.context import CharContext
from synth.run.options import RenderOptions

SMALL_INK = 0.3  # em: smaller glyphs (. , - ') get a line crop, never an ink-box crop


CENTRE_UNIFORMS = 10  # stroke (2), line crop (1), its top, bottom and centre (3), margins (4)
# an ink-box crop's drawn aspect takes the line crop's centre uniform, which it leaves unused
_ASPECT = 5


def _ink_boxes(contexts: Sequence[CharContext]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each character's ink box in em (n, 4), its font's line (ascent, descent) in em
    (n, 2), and whether it is punctuation or a symbol (n,)."""
    boxes, lines, marks = [], [], []
    for context in contexts:
        ink = ink_box_em(context.path, context.char)
        if ink is None:
            raise AugsynthError(f"{context.path}: character {context.char!r} renders blank")
        boxes.append(ink)
        lines.append(line_metrics_em(context.path))
        marks.append(unicodedata.category(context.char)[0] in "PS")
    return np.asarray(boxes), np.asarray(lines), np.asarray(marks)


def _between(bounds: tuple[float, float], u: np.ndarray) -> np.ndarray:
    low, high = bounds
    return low + (high - low) * u


def draw_windows(
    u: np.ndarray, contexts: Sequence[CharContext], options: RenderOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outline widths (n,), crop windows in em around the pen origin (n, 4; y down) and
    whether each is a line crop (n,), from uniforms `u` (n, CENTRE_UNIFORMS)."""
    ink, lines, marks = _ink_boxes(contexts)
    ascent, descent = lines[:, 0], lines[:, 1]
    stroke = np.where(u[:, 0] < options.p_stroke, _between(options.stroke, u[:, 1]), 0.0)
    x0, y0 = ink[:, 0] - stroke, ink[:, 1] - stroke
    x1, y1 = ink[:, 2] + stroke, ink[:, 3] + stroke
    height, width = options.size
    small = (np.maximum(y1 - y0, x1 - x0) < SMALL_INK) | marks
    line = small | (u[:, 2] < options.p_line_crop)
    top = -ascent * _between((0.8, 1.05), u[:, 3])
    bottom = descent * _between((0.5, 1.1), u[:, 4])
    half = (bottom - top) * width / height / 2
    centre = (x0 + x1) / 2 + (bottom - top) * 0.08 * (u[:, 5] - 0.5)
    ink_h = y1 - y0
    ref_w = np.maximum(x1 - x0, 0.4 * ink_h)
    m = _between(options.margin, u[:, 6:10])
    line_windows = np.stack([centre - half, top, centre + half, bottom], axis=1)
    ink_windows = np.stack(
        [x0 - m[:, 0] * ref_w, y0 - m[:, 1] * ink_h, x1 + m[:, 2] * ref_w, y1 + m[:, 3] * ink_h],
        axis=1,
    )
    if options.crop_aspect is not None:
        ink_windows = _to_aspect(ink_windows, x0, x1, options.crop_aspect, u[:, _ASPECT])
    windows = np.where(line[:, None], line_windows, ink_windows)
    return stroke, windows, line


def _to_aspect(
    windows: np.ndarray, x0: np.ndarray, x1: np.ndarray, bounds: tuple[float, float], u
) -> np.ndarray:
    """Ink windows (n, 4) re-cut to a height/width drawn log-uniformly in `bounds`: the same
    top and bottom, the width for that aspect but at least the ink's (x0..x1), the spare
    width shared out as the drawn side margins were."""
    low, high = np.log(bounds[0]), np.log(bounds[1])
    aspect = np.exp(low + (high - low) * u)
    ink_w = x1 - x0
    width = np.maximum((windows[:, 3] - windows[:, 1]) / aspect, ink_w)
    left_margin, right_margin = x0 - windows[:, 0], windows[:, 2] - x1
    share = left_margin / np.maximum(left_margin + right_margin, 1e-9)
    left = x0 - (width - ink_w) * share
    return np.stack([left, windows[:, 1], left + width, windows[:, 3]], axis=1)


class CentreGlyph:
    """The part that draws the outline width and the crop window, and pastes the glyph."""

    uniforms = CENTRE_UNIFORMS

    def draw(self, uniforms: np.ndarray, contexts: Sequence[CharContext]) -> list[dict[str, Any]]:
        stroke, windows, line = draw_windows(uniforms, contexts, contexts[0].options)
        return [
            {"crop": "line" if is_line else "ink", "window": window, "stroke": width}
            for width, window, is_line in zip(
                stroke.tolist(), windows.tolist(), line.tolist(), strict=True
            )
        ]

    def render(self, params: Mapping[str, Any], canvas: GlyphCanvas) -> None:
        canvas.centre_ink = canvas.paste(params["char"])
