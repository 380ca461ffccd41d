"""The random draw of a render: every choice made here, as plain JSON-able params.

`render_char(char, params)` then makes the pixels with no randomness, so a manifest row
replays exactly and a training loop can log, filter or re-render what it saw. The parts
draw in order (`synth.rendering.char_parts`): the centre glyph's outline and crop window,
the neighbours beside it, clutter lines near the window's edges, the background and a
text colour that stands out against it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from synth.fonts.coverage import CoverageCache, usable_chars
from synth.fonts.files import resolve_font
from synth.rendering.char_parts import DRAW_ORDER
from synth.rendering.context import CharContext
from synth.run.options import RenderOptions
from synth.scene.backgrounds import BackgroundBank

_coverage = CoverageCache()
_DEFAULT_OPTIONS = RenderOptions()


def draw_render_params(
    rng: np.random.Generator,
    char: str,
    font: str | Path,
    *,
    options: RenderOptions | None = None,
    fonts_root: str | Path | None = None,
    backgrounds: BackgroundBank | None = None,
    neighbours: str | None = None,
) -> dict[str, Any]:
    """Draw everything a render needs: crop window, stroke, neighbours, clutter, colours.

    `font` is a path (relative ones are taken under `fonts_root`, default the bundled
    fonts) and must cover `char`. `neighbours` are the characters that may stand beside
    it (default: the options' pool, filtered to what the font covers).
    """
    options = options or _DEFAULT_OPTIONS
    path = resolve_font(font, fonts_root)
    if neighbours is None:
        neighbours = usable_chars(path, options.neighbours, _coverage)
    params: dict[str, Any] = {"char": char, "font": str(font), "size": list(options.size)}
    context = CharContext(char, path, options, neighbours, backgrounds, params)
    for part in DRAW_ORDER:
        params.update(part.draw(rng, context))
    params["supersample"] = float(options.supersample)
    return params
