"""The CLI's maker moves a task's boxes, labels and keypoints exactly as the library call
`pipeline(image=..., bboxes=...)` does with the same generator: one implementation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augment import build_pipeline
from augment.calls import call_image
from augment.core.errors import InputError
from augment.core.seeding import example_rng
from augment.images.maker import ImageExampleMaker
from augment.images.target_columns import TargetColumns

PIPELINE = [{"Rotate": {"degrees": 30}}, {"Scale": {"factor": [0.7, 1.6]}}, {"GridWarp": {}}]


@pytest.mark.parametrize("bbox_format", ["coco", "yolo", "pascal_voc"])
def test_maker_moves_targets_like_the_call(tmp_path: Path, bbox_format: str):
    rng = np.random.default_rng(5)
    image = (rng.random((50, 70, 3)) * 255).astype(np.uint8)
    Image.fromarray(image).save(tmp_path / "a.png")
    corners = np.array([[3, 4, 20, 30], [40, 10, 69, 49], [0, 0, 70, 50], [30, 20, 36, 27]], float)
    size = np.array([70, 50, 70, 50])
    boxes = {
        "pascal_voc": corners,
        "coco": np.c_[corners[:, :2], corners[:, 2:] - corners[:, :2]],
        "yolo": np.c_[(corners[:, :2] + corners[:, 2:]) / 2, corners[:, 2:] - corners[:, :2]]
        / size,
    }[bbox_format].tolist()
    columns = {"bboxes": boxes, "category": ["a", "b", "c", "d"], "keypoints": [[5, 6], [60, 40]]}
    task = {"source": str(tmp_path / "a.png"), "label": None, "columns": columns}
    pipeline = build_pipeline(PIPELINE, kind="image")
    maker = ImageExampleMaker(pipeline, targets=TargetColumns(bbox_format))
    for index in range(20):
        made = maker.make(task, example_rng(0, index)).columns
        called = call_image(
            pipeline, image, bboxes=boxes, keypoints=columns["keypoints"],
            bbox_format=bbox_format, category=columns["category"], rng=example_rng(0, index),
        )  # fmt: skip
        assert made["bboxes"] == [list(box) for box in called["bboxes"]]
        assert made["category"] == called["category"]
        assert made["keypoints"] == [list(point) for point in called["keypoints"]]


def test_a_box_outside_the_image_names_the_file(tmp_path: Path):
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(tmp_path / "a.png")
    task = {"source": str(tmp_path / "a.png"), "label": None,
            "columns": {"bboxes": [[2, 2, 8.5, 3]], "category": ["x"]}}  # fmt: skip
    maker = ImageExampleMaker(build_pipeline([{"Rotate": {}}]), targets=TargetColumns("coco"))
    maker.make(task, example_rng(0, 0))  # 10.5 is within the 1 px of rounding: clipped
    task["columns"]["bboxes"] = [[2, 2, 8.5, 3], [5, -3, 2, 2]]
    task["columns"]["category"] = ["x", "y"]
    with pytest.raises(InputError, match=r"a.png: bboxes\[1\] coco box .* outside the 10x10 image"):
        maker.make(task, example_rng(0, 0))
