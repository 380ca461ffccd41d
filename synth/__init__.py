"""Synthetic photo-OCR character crops: many fonts, colours, backgrounds, neighbours, clutter.

import synth
params = synth.draw_render_params(rng, "a", "DejaVu/DejaVuSans.ttf")
image, bbox = synth.render_char("a", params)
data = synth.SynthCharDataset("alnum", per_class=1000, seed=0)  # DataLoader-ready
"""

from augment._version import __version__
from synth.fonts.fontset import FontSet
from synth.rendering.param_draw import draw_render_params
from synth.rendering.render import render_char
from synth.run.charset import NAMED_CHARSETS, resolve_charset
from synth.run.options import RenderOptions
from synth.scene.backgrounds import BackgroundBank
from synth.training import SynthCharDataset

__all__ = [
    "NAMED_CHARSETS",
    "BackgroundBank",
    "FontSet",
    "RenderOptions",
    "SynthCharDataset",
    "__version__",
    "draw_render_params",
    "render_char",
    "resolve_charset",
]


def __getattr__(name: str):
    """Old names that moved, refused with the new name (a plain AttributeError otherwise)."""
    if name == "CHARSET_PRESETS":
        raise AttributeError(
            "synth.CHARSET_PRESETS is now synth.NAMED_CHARSETS ('preset' names pipelines only)"
        )
    raise AttributeError(f"module 'synth' has no attribute {name!r}")
