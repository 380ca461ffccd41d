"""The parts of a character crop (see `synth.part`), in the order they draw.

They render in the same order: the centre glyph, its neighbours and the clutter lines into
the text coverage, then the background paints the crop from the coverage.
"""

from __future__ import annotations

from typing import Any

from synth.part import Part
from synth.rendering.canvas import ColourCanvas, GlyphCanvas
from synth.rendering.centre_glyph import CentreGlyph
from synth.rendering.context import CharContext
from synth.scene.backgrounds import Background
from synth.scene.clutter import Clutter
from synth.scene.neighbours import Neighbours

CENTRE_GLYPH: Part[CharContext, GlyphCanvas] = CentreGlyph()
NEIGHBOURS: Part[CharContext, GlyphCanvas] = Neighbours()
CLUTTER: Part[CharContext, GlyphCanvas] = Clutter()
BACKGROUND: Part[CharContext, ColourCanvas] = Background()
DRAW_ORDER: tuple[Part[CharContext, Any], ...] = (CENTRE_GLYPH, NEIGHBOURS, CLUTTER, BACKGROUND)
