"""The random draw of a render: every choice made here, as plain JSON-able params.

`render_char(char, params)` then makes the pixels with no randomness, so a manifest row
replays exactly and a training loop can log, filter or re-render what it saw. Each example
takes one block of uniforms from its generator (a fixed number, so whatever follows, such
as the augmentation, draws the same); the parts (`synth.rendering.char_parts`) then draw in
order for the whole batch from those rows: the centre glyph's outline and crop window, the
neighbours beside it, clutter lines near the window's edges, the background and a text
colour that stands out against it.
"""

from __future__ import annotations

from collections.abc import Sequence
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
RENDER_UNIFORMS = sum(part.uniforms for part in DRAW_ORDER)


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
    task = {"char": char, "font": str(font)}
    return draw_render_params_batch(
        [rng],
        [task],
        [neighbours],
        options=options or _DEFAULT_OPTIONS,
        fonts_root=fonts_root,
        backgrounds=backgrounds,
    )[0]


def draw_render_params_batch(
    rngs: Sequence[np.random.Generator],
    tasks: Sequence[dict[str, str]],
    neighbours: Sequence[str | None],
    *,
    options: RenderOptions,
    fonts_root: str | Path | None = None,
    backgrounds: BackgroundBank | None = None,
) -> list[dict[str, Any]]:
    """`draw_render_params` for tasks {"char", "font"} with their generators and neighbour
    characters (None: the options' pool, filtered to what the font covers): the same params
    for each task as drawn alone, drawn as one batch."""
    contexts = []
    for task, pool in zip(tasks, neighbours, strict=True):
        path = resolve_font(task["font"], fonts_root)
        if pool is None:
            pool = usable_chars(path, options.neighbours, _coverage)
        params = {"char": task["char"], "font": str(task["font"]), "size": list(options.size)}
        contexts.append(CharContext(task["char"], path, options, pool, backgrounds, params))
    uniforms = np.stack([rng.random(RENDER_UNIFORMS) for rng in rngs])
    first = 0
    for part in DRAW_ORDER:
        drawn = part.draw(uniforms[:, first : first + part.uniforms], contexts)
        for context, part_params in zip(contexts, drawn, strict=True):
            context.params.update(part_params)
        first += part.uniforms
    supersample = float(options.supersample)
    for context in contexts:
        context.params["supersample"] = supersample
    return [context.params for context in contexts]
