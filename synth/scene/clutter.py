"""Lines that crowd real crops: underlines, and frame or panel edges of signs and forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from synth.rendering.canvas import GlyphCanvas
    from synth.rendering.context import CharContext

SIDES = ("top", "bottom", "left", "right")


def draw_clutter(
    rng: np.random.Generator,
    window: list[float],
    p_underline: float,
    p_border: float,
) -> tuple[list[float] | None, list | None]:
    """Underline [y, thickness] and border [side, position, thickness], in em (or None)."""
    underline = border = None
    if rng.random() < p_underline:
        underline = [float(0.06 + 0.14 * rng.random()), float(0.03 + 0.05 * rng.random())]
    if rng.random() < p_border:
        side = SIDES[int(rng.integers(4))]
        x0, y0, x1, y1 = window
        thickness = float(0.02 + 0.06 * rng.random())
        if side in ("top", "bottom"):
            inset = (y1 - y0) * 0.12 * rng.random()
            position = y0 + inset if side == "top" else y1 - inset - thickness
        else:
            inset = (x1 - x0) * 0.12 * rng.random()
            position = x0 + inset if side == "left" else x1 - inset - thickness
        border = [side, float(position), thickness]
    return underline, border


def render_clutter(
    canvas: np.ndarray,
    origin: tuple[int, int],
    em: int,
    underline: list[float] | None,
    border: list | None,
) -> None:
    """Paint the lines into the coverage canvas in place (origin: canvas (x, y) in pixels)."""
    ox, oy = origin
    if underline is not None:
        top = round(underline[0] * em) - oy
        canvas[max(top, 0) : max(top + max(1, round(underline[1] * em)), 0), :] = 255
    if border is not None:
        side, position, thickness = border
        start = round(position * em) - (oy if side in ("top", "bottom") else ox)
        stop = max(start + max(1, round(thickness * em)), 0)
        start = max(start, 0)
        if side in ("top", "bottom"):
            canvas[start:stop, :] = 255
        else:
            canvas[:, start:stop] = 255


class Clutter:
    """The part that draws lines near the crop window's edges and paints them."""

    def draw(self, rng: np.random.Generator, context: CharContext) -> dict[str, Any]:
        options = context.options
        window = context.params["window"]
        underline, border = draw_clutter(rng, window, options.p_underline, options.p_border)
        return {"underline": underline, "border": border}

    def render(self, params: Mapping[str, Any], canvas: GlyphCanvas) -> None:
        render_clutter(
            canvas.pixels, canvas.origin, canvas.em, params["underline"], params["border"]
        )
