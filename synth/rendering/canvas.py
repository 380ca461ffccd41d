"""What the parts of a crop paint into: the text coverage, then the colour image."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from synth.rendering.glyph_atlas import ATLAS

if TYPE_CHECKING:
    from synth.scene.backgrounds import BackgroundBank


@dataclass(slots=True)
class GlyphCanvas:
    """Text coverage (max-blended glyphs and filled lines) of the crop window at `em`
    pixels per em, recorded as paint operations that one compiled call carries out for a
    whole batch of crops (`synth.rendering.coverage_paint`).

    shape: (height, width) in pixels; origin: (x, y) of its top-left corner in pixels from
    the pen origin (y down). font, stroke: the font file and the outline width in pixels
    every glyph is drawn with. glyphs: (atlas slot, x, y of the glyph's pen origin on the
    canvas) in paint order; lines: (0 rows / 1 columns, start, stop) filled with full ink.
    centre_ink: the centre glyph's ink box in pixels from the pen origin, once pasted
        (it is pasted first, so it is glyphs[0]).
    """

    shape: tuple[int, int]
    origin: tuple[int, int]
    em: int
    font: str
    stroke: int
    glyphs: list[tuple[int, int, int]] = field(default_factory=list)
    lines: list[tuple[int, int, int]] = field(default_factory=list)
    centre_ink: tuple[int, int, int, int] | None = None

    def paste(self, char: str, pen: int = 0) -> tuple[int, int, int, int] | None:
        """Max-blend `char` with its pen origin `pen` pixels right of the crop's (clipped);
        its ink box from the pen origin (None for a blank glyph, which paints nothing)."""
        slot = ATLAS.slot(self.font, self.em, self.stroke, char)
        ink = ATLAS.ink[slot]
        if ink is not None:
            self.glyphs.append((slot, pen - self.origin[0], -self.origin[1]))
        return ink

    def glyphs_after_centre(self) -> int:
        """How many glyphs were pasted after the centre glyph (its neighbours)."""
        return len(self.glyphs) - (self.centre_ink is not None)

    def fill(self, columns: bool, start: int, stop: int) -> None:
        """Full ink on rows (or columns) start..stop-1 of the canvas (clipped)."""
        self.lines.append((int(columns), start, stop))


@dataclass(slots=True)
class ColourCanvas:
    """The crop's colour image (uint8 (H, W, 3), set by the render), from its text coverage
    (uint8 (H, W)) at the output size; `bank` holds the photos a background may name."""

    coverage: np.ndarray
    bank: BackgroundBank | None
    image: np.ndarray | None = None
