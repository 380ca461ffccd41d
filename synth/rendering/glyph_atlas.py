"""Every glyph mask a process has rendered, in one flat array a compiled loop can read.

The coverage of a whole batch of crops is painted by one compiled call
(`synth.rendering.coverage_paint`), which cannot take Python objects: glyphs are stored
once each (per font file, pixel size, stroke and character) in a growing uint8 array and
named by a slot number, with their place and size in a table beside it. Each mask is
stored column by column (transposed), as the coverage paint holds its canvas.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from synth.fonts.glyphs import get_glyph

SLOT_FIELDS = 5  # offset into the pixels, height, width, left, top (from the pen origin)


class GlyphAtlas:
    """Glyph masks by slot: `pixels` (flat uint8, each mask column by column) and `table`
    (slots, SLOT_FIELDS) int64; `ink[slot]` is the glyph's ink box from the pen origin
    (None for a blank glyph)."""

    def __init__(self) -> None:
        self.pixels = np.zeros(1 << 20, np.uint8)
        self.table = np.zeros((1024, SLOT_FIELDS), np.int64)
        self.ink: list[tuple[int, int, int, int] | None] = []
        self._slots: dict[tuple[str, int, int, str], int] = {}
        self._used = 0

    def slot(self, font: str, em: int, stroke: int, char: str) -> int:
        """The slot of `char` in font file `font` at `em` px/em with a `stroke`-px outline,
        rendered (through `synth.fonts.glyphs`) and stored on first use."""
        key = (font, em, stroke, char)
        found = self._slots.get(key)
        if found is not None:
            return found
        glyph = get_glyph(Path(font), em, stroke, char)
        mask = np.ascontiguousarray(glyph.mask.T, dtype=np.uint8)
        slot = len(self.ink)
        if slot == self.table.shape[0]:
            self.table = np.concatenate([self.table, np.zeros_like(self.table)])
        while self._used + mask.size > self.pixels.size:
            self.pixels = np.concatenate([self.pixels, np.zeros_like(self.pixels)])
        self.pixels[self._used : self._used + mask.size] = mask.ravel()
        self.table[slot] = (self._used, *glyph.mask.shape, glyph.left, glyph.top)
        self._used += mask.size
        self.ink.append(glyph.ink)
        self._slots[key] = slot
        return slot


ATLAS = GlyphAtlas()
"""The process's atlas (each worker process renders and stores its own glyphs)."""
