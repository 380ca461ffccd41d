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
from synth.rendering.coverage_paint import paint_coverage
from synth.rendering.render import glyph_canvas, render_coverage

BUSY = RenderOptions.from_dict(
    {"p_neighbour": 1.0, "p_underline": 1.0, "p_border": 1.0, "backgrounds": {"noise": 1}}
)


def _draw_parts(seed: int) -> dict:
    """The render params drawn part by part from one block of uniforms, in order, with
    each part's draw checked to be JSON."""
    uniforms = np.random.default_rng(seed).random((1, sum(part.uniforms for part in DRAW_ORDER)))
    params = {"char": "a", "font": str(DEJAVU), "size": [32, 32]}
    context = CharContext("a", DEJAVU, BUSY, "xyz", None, params)
    first = 0
    for part in DRAW_ORDER:
        (drawn,) = part.draw(uniforms[:, first : first + part.uniforms], [context])
        first += part.uniforms
        assert json.loads(json.dumps(drawn)) == drawn
        params.update(drawn)
    params["supersample"] = float(BUSY.supersample)
    return params


def test_every_part_of_a_character_crop_is_a_part() -> None:
    assert all(isinstance(part, Part) for part in DRAW_ORDER)


def test_each_example_draws_from_its_own_uniforms_whatever_the_batch() -> None:
    """A part's params for an example depend on that example's row alone."""
    rows = np.random.default_rng(7).random((6, sum(part.uniforms for part in DRAW_ORDER)))

    def drawn(picked: list[int]) -> list[dict]:
        contexts = [
            CharContext("ag"[i % 2], DEJAVU, BUSY, "xyz", None, {"char": "ag"[i % 2]})
            for i in picked
        ]
        first = 0
        for part in DRAW_ORDER:
            drawn = part.draw(rows[picked, first : first + part.uniforms], contexts)
            for context, params in zip(contexts, drawn, strict=True):
                context.params.update(params)
            first += part.uniforms
        return [context.params for context in contexts]

    together = drawn(list(range(6)))
    assert [drawn([i])[0] for i in range(6)] == together
    assert drawn([4, 1]) == [together[4], together[1]]


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
            assert (first.glyphs, first.lines) == (second.glyphs, second.lines)
            if part is not NEIGHBOURS:  # a neighbour may fall outside a tight ink-box crop
                assert first.glyphs or first.lines
            else:  # BUSY draws both neighbours; pasted (maybe clipped) beside the centre
                assert len(first.glyphs) == 2
            alone = glyph_canvas(params, None)
            part.render(params, alone)
            painted = paint_coverage([first, alone], (32, 32), centre_mask=False)[0]
            assert painted[0].tobytes() == painted[1].tobytes()
            assert painted[0].any() or part is NEIGHBOURS
        coverage = render_coverage(params)[0]
        first, second = ColourCanvas(coverage, None), ColourCanvas(coverage, None)
        BACKGROUND.render(params, first)
        BACKGROUND.render(params, second)
        assert first.image.shape == (32, 32, 3)
        assert first.image.tobytes() == second.image.tobytes()
