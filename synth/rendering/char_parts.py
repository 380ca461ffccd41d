"""The parts of a character crop (see `synth.part`), in the order they draw.

They render in the same order: the centre glyph, its neighbours and the clutter lines into
the text coverage, then the background paints the crop from the coverage.
"""

from __future__ import annotations

from synth.rendering.centre_glyph import CentreGlyph
from synth.scene.backgrounds import Background
from synth.scene.clutter import Clutter
from synth.scene.neighbours import Neighbours

CENTRE_GLYPH = CentreGlyph()
NEIGHBOURS = Neighbours()
CLUTTER = Clutter()
BACKGROUND = Background()
DRAW_ORDER = (CENTRE_GLYPH, NEIGHBOURS, CLUTTER, BACKGROUND)
