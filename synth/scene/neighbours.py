"""Parts of adjacent characters at the crop edges, spaced as the font would set them.

Real character crops are cut from words, so a sliver of the previous and next letter shows
at the edges. Each neighbour's pen position comes from the font's advance widths and
kerning for that pair, plus a letter-spacing (tracking) draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from synth.fonts.spacing import advance_em, kerning_em

if TYPE_CHECKING:
    from synth.rendering.canvas import GlyphCanvas
    from synth.rendering.context import CharContext
    from synth.run.options import RenderOptions


NEIGHBOUR_UNIFORMS = 5  # tracking, then each side's chance and character


def draw_neighbours(
    u: list[float], path: Path, char: str, pool: str, options: RenderOptions, stroke: float
) -> tuple[list | None, list | None]:
    """([char, pen offset in em] or None) for the left and the right neighbour, from the
    uniforms `u` (NEIGHBOUR_UNIFORMS)."""
    low, high = options.tracking
    spacing = float(low + (high - low) * u[0]) + stroke
    left = right = None
    if pool and u[1] < options.p_neighbour:
        other = pool[min(int(u[2] * len(pool)), len(pool) - 1)]
        offset = -(advance_em(path, other) + kerning_em(path, other, char) + spacing)
        left = [other, float(offset)]
    if pool and u[3] < options.p_neighbour:
        other = pool[min(int(u[4] * len(pool)), len(pool) - 1)]
        offset = advance_em(path, char) + kerning_em(path, char, other) + spacing
        right = [other, float(offset)]
    return left, right


class Neighbours:
    """The part that places neighbours (after the centre glyph's stroke is drawn) and
    pastes them beside it."""

    uniforms = NEIGHBOUR_UNIFORMS

    def draw(self, uniforms: np.ndarray, contexts: Sequence[CharContext]) -> list[dict[str, Any]]:
        drawn = []
        for u, context in zip(uniforms.tolist(), contexts, strict=True):
            left, right = draw_neighbours(
                u,
                context.path,
                context.char,
                context.neighbours,
                context.options,
                context.params["stroke"],
            )
            drawn.append({"left": left, "right": right})
        return drawn

    def render(self, params: Mapping[str, Any], canvas: GlyphCanvas) -> None:
        for side in (params["left"], params["right"]):
            if side is not None:
                canvas.paste(side[0], round(side[1] * canvas.em))
