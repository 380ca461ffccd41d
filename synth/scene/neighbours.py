"""Parts of adjacent characters at the crop edges, spaced as the font would set them.

Real character crops are cut from words, so a sliver of the previous and next letter shows
at the edges. Each neighbour's pen position comes from the font's advance widths and
kerning for that pair, plus a letter-spacing (tracking) draw.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from synth.fonts.spacing import advance_em, kerning_em


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
