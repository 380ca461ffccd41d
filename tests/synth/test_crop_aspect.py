"""`crop_aspect`: ink-box crop windows re-cut to a drawn height/width before the squeeze to
`size`, measured on the drawn windows and on the rendered glyph."""

from __future__ import annotations

import numpy as np
import pytest
from synth_paths import DEJAVU

from synth import RenderOptions, draw_render_params, render_char
from synth.fonts.glyphs import ink_box_em

PLAIN = dict(p_neighbour=0.0, p_underline=0.0, p_border=0.0, p_line_crop=0.0, p_stroke=0.0)


def _params(seed: int, char: str, **options) -> dict:
    opts = RenderOptions.from_dict({**PLAIN, **options})
    return draw_render_params(np.random.default_rng(seed), char, DEJAVU, options=opts)


def _aspect(window: list[float]) -> float:
    x0, y0, x1, y1 = window
    return (y1 - y0) / (x1 - x0)


def test_windows_take_the_drawn_aspect_unless_the_ink_is_wider() -> None:
    for char in "HlmW":
        ink_x0, _, ink_x1, _ = ink_box_em(DEJAVU, char)
        for seed in range(15):
            plain = _params(seed, char)["window"]
            x0, y0, x1, y1 = window = _params(seed, char, crop_aspect=[1.6, 1.6])["window"]
            assert (y0, y1) == (plain[1], plain[3])  # the height is the ink plus margins
            assert x0 <= ink_x0 + 1e-9 and x1 >= ink_x1 - 1e-9  # the ink is never cut
            ink_wide = np.isclose(x1 - x0, ink_x1 - ink_x0)
            assert np.isclose(_aspect(window), 1.6) or (ink_wide and _aspect(window) < 1.6)
    m_x0, _, m_x1, _ = ink_box_em(DEJAVU, "m")
    wide = [_params(s, "m", crop_aspect=[2.4, 2.4])["window"] for s in range(5)]
    assert all(np.isclose(w[2] - w[0], m_x1 - m_x0) for w in wide)  # "m" touches the sides


def test_the_aspect_is_drawn_log_uniformly() -> None:
    """Counted over 400 draws of a narrow glyph: a quarter below sqrt(2), half below 2."""
    aspects = np.array(
        [_aspect(_params(s, "l", crop_aspect=[1.0, 4.0])["window"]) for s in range(400)]
    )
    assert aspects.min() >= 1.0 - 1e-9 and aspects.max() <= 4.0 + 1e-9
    assert abs((aspects < 2**0.5).mean() - 0.25) < 0.06
    assert abs((aspects < 2.0).mean() - 0.5) < 0.07


def test_only_the_window_changes_and_the_glyph_fills_the_squeezed_width() -> None:
    """The aspect reuses a uniform ink crops leave unused: every other draw is the same."""
    for seed in range(10):
        plain, squeezed = _params(seed, "l"), _params(seed, "l", crop_aspect=[2.0, 2.0])
        assert {k: v for k, v in plain.items() if k != "window"} == {
            k: v for k, v in squeezed.items() if k != "window"
        }
        x0, _, x1, _ = squeezed["window"]
        ink_x0, _, ink_x1, _ = ink_box_em(DEJAVU, "l")
        _, box = render_char("l", squeezed)
        expected = 32 * (ink_x1 - ink_x0) / (x1 - x0)
        assert abs((box[2] - box[0]) - expected) <= 1.5


def test_crop_aspect_is_recorded_only_when_set_and_checked() -> None:
    assert "crop_aspect" not in RenderOptions().to_dict()
    assert RenderOptions(crop_aspect=[1, 2.4]).to_dict()["crop_aspect"] == [1.0, 2.4]
    with pytest.raises(ValueError, match="crop_aspect"):
        RenderOptions(crop_aspect=[0.0, 2.0])
    with pytest.raises(ValueError, match="crop_aspect"):
        RenderOptions(crop_aspect=[2.0, 1.0])
