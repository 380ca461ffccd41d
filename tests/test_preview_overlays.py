"""Preview overlays: each box, polygon and keypoint is drawn where the run recorded it, so
preview.png shows whether the labels moved with the pixels."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from augment.cli.main import app
from augment.preview.overlays import with_targets

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _changed(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int]:
    """x0, y0, x1, y1 (inclusive) of the pixels the overlay changed."""
    ys, xs = np.nonzero(np.any(before != after, axis=2))
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def test_outlines_sit_on_the_recorded_box_polygon_and_point() -> None:
    picture = np.zeros((40, 60), np.uint8)
    plain = np.repeat(picture[:, :, None], 3, axis=2)
    box = with_targets(picture, {"bboxes": [[10, 8, 20, 12]]}, "coco", cell=60)
    x0, y0, x1, y1 = _changed(plain, box)
    # the outline runs along the box edges (anti-aliased lines touch the pixels either side)
    assert np.allclose([x0, y0, x1, y1], [9.5, 7.5, 29.5, 19.5], atol=1.5)
    assert not box[14, 20].any()  # inside the outline: untouched
    yolo = with_targets(picture, {"bboxes": [[1 / 3, 0.35, 1 / 3, 0.3]]}, "yolo", cell=60)
    assert np.array_equal(yolo, box)  # the same box in YOLO's normalised centre format
    triangle = with_targets(picture, {"segmentation": [[[5, 5, 50, 5, 5, 35]]]}, "coco", cell=60)
    assert _changed(plain, triangle)[:2] in {(4, 4), (4, 3), (3, 4), (3, 3)}
    point = with_targets(picture, {"keypoints": [[30, 20, 2]]}, "coco", cell=60)
    assert point[20, 30].all() and abs(np.mean(_changed(plain, point)[0::2]) - 30) <= 0.5
    assert with_targets(picture, {"bboxes": []}, "coco", cell=60) is picture


def test_a_box_run_preview_draws_the_written_boxes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["images", str(EXAMPLES / "boxes"), "-o", str(out), "--input-format", "coco",
            "--layout", "coco", "--rotate", "20", "-n", "2", "--preview", "1"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    sheet = np.asarray(Image.open(out / "preview.png").convert("RGB"))
    r, g, b = (sheet[..., c].astype(int) for c in range(3))
    light_blue = (r < 128) & (g > 150) & (b > 200)  # the second box's colour, in no scene
    assert light_blue.sum() > 30  # drawn on the original and on each copy
    boxes = json.loads((out / "annotations.json").read_text())["annotations"]
    assert boxes  # and the run itself is unchanged by its preview
