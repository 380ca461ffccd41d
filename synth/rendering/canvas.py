"""What the parts of a character crop paint into: the text coverage, then the colour image."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from synth.fonts.glyphs import Glyph
    from synth.scene.backgrounds import BackgroundBank


@dataclass(slots=True)
class GlyphCanvas:
    """Text coverage (uint8, 0..255, max-blended) of the crop window at `em` pixels per em.

    origin: (x, y) of the canvas's top-left corner in pixels from the pen origin (y down).
    path, stroke: the font file and the outline width in pixels every glyph is drawn with.
    centre_ink: the centre glyph's ink box in pixels from the pen origin, once it is pasted.
    """

    pixels: np.ndarray
    origin: tuple[int, int]
    em: int
    path: Path
    stroke: int
    centre_ink: tuple[int, int, int, int] | None = None

    def paste(self, glyph: Glyph, pen: int = 0) -> None:
        """Max-blend `glyph` with its pen origin `pen` pixels right of the crop's, clipped."""
        mask = glyph.mask
        x, y = pen + glyph.left - self.origin[0], glyph.top - self.origin[1]
        h, w = mask.shape
        ch, cw = self.pixels.shape
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, cw), min(y + h, ch)
        if x0 >= x1 or y0 >= y1:
            return
        region = self.pixels[y0:y1, x0:x1]
        np.maximum(region, mask[y0 - y : y1 - y, x0 - x : x1 - x], out=region)


@dataclass(slots=True)
class ColourCanvas:
    """The crop's colour image (uint8 (H, W, 3), set by the render), from its text coverage
    (uint8 (H, W)) at the output size; `bank` holds the photos a background may name."""

    coverage: np.ndarray
    bank: BackgroundBank | None
    image: np.ndarray | None = None
