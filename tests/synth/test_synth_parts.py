"""The parts of a character crop keep the Part contract: JSON-able draws, pure renders."""

from __future__ import annotations

import json

import numpy as np
from synth_paths import DEJAVU

from synth import RenderOptions, draw_render_params
from synth.part import Part
from synth.rendering.canvas import ColourCanvas
from synth.rendering.char_parts import BACKGROUND, CENTRE_GLYPH, CLUTTER, DRAW_ORDER, NEIGHBOURS
from synth.rendering.context import CharContext
from synth.rendering.render import glyph_canvas, render_coverage

BUSY = RenderOptions.from_dict(
    {"p_neighbour": 1.0, "p_underline": 1.0, "p_border": 1.0, "backgrounds": {"noise": 1}}
)


def _draw_parts(seed: int) -> dict:
    """The render params drawn part by part, with each part's draw checked to be JSON."""
    rng = np.random.default_rng(seed)
    params = {"char": "a", "font": str(DEJAVU), "size": [32, 32]}
    context = CharContext("a", DEJAVU, BUSY, "xyz", None, params)
    for part in DRAW_ORDER:
        drawn = part.draw(rng, context)
        assert json.loads(json.dumps(drawn)) == drawn
        params.update(drawn)
    params["supersample"] = float(BUSY.supersample)
    return params


def test_every_part_of_a_character_crop_is_a_part() -> None:
    assert all(isinstance(part, Part) for part in DRAW_ORDER)


def test_the_parts_draws_in_order_are_the_render_params() -> None:
    for seed in range(5):
        rng = np.random.default_rng(seed)
        expected = draw_render_params(rng, "a", DEJAVU, options=BUSY, neighbours="xyz")
        assert _draw_parts(seed) == expected


def test_each_part_renders_the_same_pixels_from_the_same_params() -> None:
    for seed in range(5):
        params = _draw_parts(seed)
        for part in (CENTRE_GLYPH, NEIGHBOURS, CLUTTER):
            first, second = glyph_canvas(params, None), glyph_canvas(params, None)
            part.render(params, first)
            part.render(params, second)
            assert first.pixels.tobytes() == second.pixels.tobytes()
            if part is not NEIGHBOURS:  # a neighbour may fall outside a tight ink-box crop
                assert first.pixels.any()
        coverage = render_coverage(params)[0]
        first, second = ColourCanvas(coverage, None), ColourCanvas(coverage, None)
        BACKGROUND.render(params, first)
        BACKGROUND.render(params, second)
        assert first.image.shape == (32, 32, 3)
        assert first.image.tobytes() == second.image.tobytes()
