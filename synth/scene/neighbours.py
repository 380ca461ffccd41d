"""Parts of adjacent characters at the crop edges, spaced as the font would set them.

Real character crops are cut from words, so a sliver of the previous and next letter shows
at the edges. Each neighbour's pen position comes from the font's advance widths and
kerning for that pair, plus a letter-spacing (tracking) draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from synth.fonts.glyphs import get_glyph
from synth.fonts.spacing import advance_em, kerning_em

if TYPE_CHECKING:
    from synth.rendering.canvas import GlyphCanvas
    from synth.rendering.context import CharContext


def draw_neighbours(
    rng: np.random.Generator,
    path: Path,
    char: str,
    pool: str,
    p_neighbour: float,
    tracking: tuple[float, float],
    stroke: float,
) -> tuple[list | None, list | None]:
    """([char, pen offset in em] or None) for the left and the right neighbour."""
    spacing = float(tracking[0] + (tracking[1] - tracking[0]) * rng.random()) + stroke
    left = right = None
    if pool and rng.random() < p_neighbour:
        other = pool[int(rng.integers(len(pool)))]
        offset = -(advance_em(path, other) + kerning_em(path, other, char) + spacing)
        left = [other, float(offset)]
    if pool and rng.random() < p_neighbour:
        other = pool[int(rng.integers(len(pool)))]
        offset = advance_em(path, char) + kerning_em(path, char, other) + spacing
        right = [other, float(offset)]
    return left, right


class Neighbours:
    """The part that places neighbours (after the centre glyph's stroke is drawn) and
    pastes them beside it."""

    def draw(self, rng: np.random.Generator, context: CharContext) -> dict[str, Any]:
        options = context.options
        left, right = draw_neighbours(
            rng,
            context.path,
            context.char,
            context.neighbours,
            options.p_neighbour,
            options.tracking,
            context.params["stroke"],
        )
        return {"left": left, "right": right}

    def render(self, params: Mapping[str, Any], canvas: GlyphCanvas) -> None:
        for side in (params["left"], params["right"]):
            if side is not None:
                glyph = get_glyph(canvas.path, canvas.em, canvas.stroke, side[0])
                if glyph.ink is not None:
                    canvas.paste(glyph, round(side[1] * canvas.em))
