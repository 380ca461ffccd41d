"""Synthetic photo-OCR character crops: many fonts, colours, backgrounds, neighbours, clutter.

import synth
params = synth.draw_render_params(rng, "a", "DejaVu/DejaVuSans.ttf")
image, bbox = synth.render_char("a", params)
data = synth.SynthCharDataset("alnum", per_class=1000, seed=0)  # DataLoader-ready
"""

from augment._version import __version__
from synth.backgrounds import BackgroundBank
from synth.charset import PRESETS as CHARSET_PRESETS
from synth.charset import resolve_charset
from synth.dataset import SynthCharDataset
from synth.fontset import FontSet
from synth.options import RenderOptions
from synth.render import render_char
from synth.sampling import draw_render_params

__all__ = [
    "CHARSET_PRESETS",
    "BackgroundBank",
    "FontSet",
    "RenderOptions",
    "SynthCharDataset",
    "__version__",
    "draw_render_params",
    "render_char",
    "resolve_charset",
]
