"""The batched renderer paints a whole stack at once and gives the crops of the per-crop
render byte for byte: in SynthCharDataset.batch, __getitem__ and `synth ocr` files."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from augment.core.seeding import example_rngs
from synth import SynthCharDataset
from synth.cli import app
from synth.rendering.crops import _draw_and_render, _render_stack

EVERY_KIND = {
    "backgrounds": {"flat": 1, "gradient": 1, "noise": 1, "image": 1},
    "p_underline": 0.3,
    "p_border": 0.3,
    "p_stroke": 0.5,
}


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for k, shape in enumerate([(40, 70, 3), (90, 60, 3)]):
        Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8)).save(folder / f"{k}.png")
    return folder


@pytest.mark.parametrize("size", [24, (20, 36)])
def test_the_stack_render_equals_the_render_of_each_crop(
    two_fonts: Path, photos: Path, size
) -> None:
    data = SynthCharDataset(
        "aB7gq.", per_class=12, fonts=two_fonts, size=size, backgrounds=photos, render=EVERY_KIND
    )
    tasks = [data.tasks[i] for i in range(len(data))]
    layers, renders = _render_stack(tasks, example_rngs(3, range(len(data))), data.recipe)
    kinds = set()
    for i, (task, rng) in enumerate(zip(tasks, example_rngs(3, range(len(data))), strict=True)):
        params, image, mask, _ = _draw_and_render(task, rng, data.recipe, centre_mask=True)
        kinds.add(params["background"]["kind"])
        assert params == renders[i]
        assert image.tobytes() == layers[i, :, :, :3].tobytes()
        assert mask is not None and mask.tobytes() == layers[i, :, :, 3].tobytes()
    assert kinds == {"flat", "gradient", "noise", "image"}


def test_batch_items_and_ocr_files_are_the_same_crops(
    two_fonts: Path, photos: Path, tmp_path: Path
) -> None:
    config = tmp_path / "synth.yaml"
    config.write_text(f"render: {json.dumps(EVERY_KIND)}\n")
    out = tmp_path / "out"
    args = ["ocr", "--fonts", two_fonts, "-o", out, "--charset", "aB7", "--per-class", "5",
            "--size", "24", "--seed", "9", "--config", config, "--backgrounds", photos,
            "--workers", "2"]  # fmt: skip
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    data = SynthCharDataset(
        "aB7", per_class=5, fonts=two_fonts, size=24, seed=9, backgrounds=photos, render=EVERY_KIND
    )
    images, _ = data.batch(range(len(data)))
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == len(data) == 15
    for row in rows:
        written = cv2.cvtColor(cv2.imread(str(out / row["file"])), cv2.COLOR_BGR2RGB)
        assert written.tobytes() == images[row["index"]].tobytes()
        assert data[row["index"]][0].tobytes() == written.tobytes()


def test_area_average_gives_opencv_inter_area_bytes_and_areas_elsewhere() -> None:
    """Fractional shrinks: OpenCV's INTER_AREA bytes. Whole factors and enlargements in
    both directions: the mean of the covered area (OpenCV's other routes, within a grey
    level). An enlargement in one direction only (OpenCV interpolates the other, linearly):
    the area mean, checked on constant images and as never darker than its mean in total."""
    from synth.rendering.area_shrink import area_average

    rng = np.random.default_rng(4)
    for trial in range(400):
        out_h, out_w = (int(v) for v in rng.integers(4, 48, 2))
        if trial % 7 == 0:  # whole factors
            h, w = out_h * int(rng.integers(1, 4)), out_w * int(rng.integers(1, 4))
        elif trial % 7 == 1:  # enlargements
            h, w = (int(v) for v in rng.integers(2, [out_h + 1, out_w + 1]))
        else:
            h, w = (int(v) for v in rng.integers([out_h + 1, out_w + 1], 200))
        pixels = (rng.integers(0, 256, (h, w)) * (rng.random((h, w)) < 0.6)).astype(np.uint8)
        if trial % 5 == 0:
            pixels[:] = 255  # a full sum, where rounding is most exposed
        expected = cv2.resize(pixels, (out_w, out_h), interpolation=cv2.INTER_AREA)
        got = np.empty((out_h, out_w), np.uint8)
        area_average(pixels, got)
        if trial % 7 > 1 or (h % out_h and w % out_w and h > out_h and w > out_w):
            assert got.tobytes() == expected.tobytes()
        else:
            assert np.abs(got.astype(int) - expected).max() <= 1


def test_area_average_of_a_one_way_stretch_keeps_the_mean() -> None:
    from synth.rendering.area_shrink import area_average

    rng = np.random.default_rng(5)
    for _ in range(50):
        pixels = rng.integers(0, 256, (int(rng.integers(40, 90)), int(rng.integers(6, 20))))
        got = np.empty((32, 32), np.uint8)
        area_average(pixels.astype(np.uint8), got)
        assert abs(got.mean() - pixels.mean()) < 1.0
        flat = np.full(pixels.shape, int(pixels[0, 0]), np.uint8)
        area_average(flat, got)
        assert (got == flat[0, 0]).all()
