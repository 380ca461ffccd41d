"""Lines that crowd real crops: underlines, and frame or panel edges of signs and forms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from synth.rendering.canvas import GlyphCanvas
    from synth.rendering.context import CharContext

SIDES = ("top", "bottom", "left", "right")


CLUTTER_UNIFORMS = 7  # underline: chance, height, thickness; border: chance, side, ...


def draw_clutter(
    u: list[float], window: list[float], p_underline: float, p_border: float
) -> tuple[list[float] | None, list | None]:
    """Underline [y, thickness] and border [side, position, thickness], in em (or None),
    from the uniforms `u` (CLUTTER_UNIFORMS)."""
    underline = border = None
    if u[0] < p_underline:
        underline = [float(0.06 + 0.14 * u[1]), float(0.03 + 0.05 * u[2])]
    if u[3] < p_border:
        side = SIDES[min(int(u[4] * 4), 3)]
        x0, y0, x1, y1 = window
        thickness = float(0.02 + 0.06 * u[5])
        if side in ("top", "bottom"):
            inset = (y1 - y0) * 0.12 * u[6]
            position = y0 + inset if side == "top" else y1 - inset - thickness
        else:
            inset = (x1 - x0) * 0.12 * u[6]
            position = x0 + inset if side == "left" else x1 - inset - thickness
        border = [side, float(position), thickness]
    return underline, border


def render_clutter(canvas: GlyphCanvas, underline: list[float] | None, border: list | None) -> None:
    """Paint the lines into the coverage canvas."""
    ox, oy = canvas.origin
    em = canvas.em
    if underline is not None:
        top = round(underline[0] * em) - oy
        canvas.fill(False, max(top, 0), max(top + max(1, round(underline[1] * em)), 0))
    if border is not None:
        side, position, thickness = border
        across = side in ("top", "bottom")
        start = round(position * em) - (oy if across else ox)
        stop = max(start + max(1, round(thickness * em)), 0)
        canvas.fill(not across, max(start, 0), stop)


class Clutter:
    """The part that draws lines near the crop window's edges and paints them."""

    uniforms = CLUTTER_UNIFORMS

    def draw(self, uniforms: np.ndarray, contexts: Sequence[CharContext]) -> list[dict[str, Any]]:
        options = contexts[0].options  # the contexts of a batch share their options
        drawn = []
        for u, context in zip(uniforms.tolist(), contexts, strict=True):
            underline, border = draw_clutter(
                u, context.params["window"], options.p_underline, options.p_border
            )
            drawn.append({"underline": underline, "border": border})
        return drawn

    def render(self, params: Mapping[str, Any], canvas: GlyphCanvas) -> None:
        render_clutter(canvas, params["underline"], params["border"])
