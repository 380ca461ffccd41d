"""The renderer: pure given params, contrast it promises, a box where the ink is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from synth_paths import DEJAVU

from synth import BackgroundBank, RenderOptions, draw_render_params, render_char
from synth.fonts.spacing import advance_em
from synth.rendering.render import mask_box, mask_boxes
from synth.scene.colours import contrast_ratio

PLAIN = dict(p_neighbour=0.0, p_underline=0.0, p_border=0.0, backgrounds={"flat": 1.0})


def _draw(seed: int, char: str = "a", **options):
    rng = np.random.default_rng(seed)
    opts = RenderOptions.from_dict({**PLAIN, **options})
    params = draw_render_params(rng, char, DEJAVU, options=opts)
    image, box = render_char(char, params)
    return params, image, box


def test_params_are_json_and_the_render_is_pure() -> None:
    params, image, box = _draw(1, p_underline=1.0, p_border=1.0)
    replayed = json.loads(json.dumps(params))
    again, again_box = render_char("a", replayed)
    assert again.tobytes() == image.tobytes() and again_box == box
    params2, image2, _ = _draw(1, p_underline=1.0, p_border=1.0)
    assert params2 == params and image2.tobytes() == image.tobytes()
    assert _draw(2)[1].tobytes() != image.tobytes()


@pytest.mark.parametrize("size", [(32, 32), (48, 24), (20, 64)])
def test_any_output_size(size: tuple[int, int]) -> None:
    _, image, box = _draw(3, size=size)
    assert image.shape == (*size, 3) and image.dtype == np.uint8
    assert 0 <= box[0] < box[2] <= size[1] and 0 <= box[1] < box[3] <= size[0]


def test_contrast_minimum_holds_in_both_polarities() -> None:
    polarities = set()
    for seed in range(40):
        params, image, _ = _draw(seed, "H", size=(64, 64), min_contrast=3.0)
        pixels = image.reshape(-1, 3).astype(int)
        background = np.asarray(params["background"]["colour"])
        text = np.asarray(params["text"])
        # measured on the crop: the background colour, and the most text-like pixel
        assert (np.abs(pixels - background).max(axis=1) <= 1).mean() > 0.2
        inkiest = pixels[np.argmin(np.abs(pixels - text).sum(axis=1))]
        assert contrast_ratio(inkiest, background) >= 3.0 * 0.97
        polarities.add(sum(text) < sum(background))
    assert polarities == {True, False}


def test_box_is_where_the_ink_is() -> None:
    for seed in range(20):
        params, image, box = _draw(seed, "kg"[seed % 2], size=(48, 48))
        background = np.asarray(params["background"]["colour"])
        # ink: over a quarter of the way from the background to the text colour
        step = np.abs(np.asarray(params["text"]) - background).max()
        ink = np.abs(image.astype(int) - background).max(axis=2) > step / 4
        ys, xs = np.nonzero(ink)
        x0, y0, x1, y1 = box
        assert xs.min() >= x0 - 1 and xs.max() + 1 <= x1 + 1
        assert ys.min() >= y0 - 1 and ys.max() + 1 <= y1 + 1
        assert xs.min() <= x0 + 1.5 and xs.max() + 1 >= x1 - 1.5
        assert ys.min() <= y0 + 1.5 and ys.max() + 1 >= y1 - 1.5


def test_neighbours_sit_at_the_font_spacing_and_show_at_the_edges() -> None:
    seen_outside = 0
    for seed in range(20):
        params, image, box = _draw(seed, "n", p_neighbour=1.0, tracking=(0.0, 0.0), p_line_crop=1.0)
        left, right = params["left"], params["right"]
        assert right[1] == pytest.approx(advance_em(DEJAVU, "n"), abs=0.03)
        assert left[1] == pytest.approx(-advance_em(DEJAVU, left[0]), abs=0.03)
        background = np.asarray(params["background"]["colour"])
        ink = np.abs(image.astype(int) - background).max(axis=2) > 40
        cols = np.nonzero(ink.any(axis=0))[0]
        seen_outside += int(cols.min() < box[0] - 1 or cols.max() > box[2] + 1)
    assert seen_outside >= 15


def test_background_kinds_render(tmp_path: Path) -> None:
    photo = (np.random.default_rng(0).random((80, 120, 3)) * 255).astype(np.uint8)
    Image.fromarray(photo).save(tmp_path / "wall.png")
    bank = BackgroundBank(tmp_path)
    kinds = set()
    for seed in range(30):
        rng = np.random.default_rng(seed)
        opts = RenderOptions.from_dict(
            {"backgrounds": {"gradient": 1, "noise": 1, "image": 1}, "p_neighbour": 0}
        )
        params = draw_render_params(rng, "x", DEJAVU, options=opts, backgrounds=bank)
        image, _ = render_char("x", params, backgrounds=bank)
        kinds.add(params["background"]["kind"])
        assert image.reshape(-1, 3).std(axis=0).max() > 3  # not flat paint
    assert kinds == {"gradient", "noise", "image"}


def test_bad_options_name_the_field() -> None:
    with pytest.raises(ValueError, match="min_contrast"):
        RenderOptions(min_contrast=30)
    with pytest.raises(ValueError, match=r"backgrounds.marble"):
        RenderOptions(backgrounds={"marble": 1.0})
    with pytest.raises(ValueError, match="p_neigbour"):
        RenderOptions.from_dict({"p_neigbour": 0.5})


def test_boxes_of_a_stack_match_one_by_one() -> None:
    rng = np.random.default_rng(3)
    masks = np.zeros((6, 20, 24), np.uint8)
    for mask in masks[1:]:
        y0, x0 = rng.integers(0, 15, 2)
        mask[y0 : y0 + rng.integers(1, 6), x0 : x0 + rng.integers(1, 9)] = rng.integers(64, 256)
    masks[2, 0, 0] = 63  # below the threshold: not ink
    masks[3, -1, -1] = 255  # ink at the far corner
    assert mask_boxes(masks) == [mask_box(m) for m in masks]
    assert mask_boxes(masks)[0] is None
