"""Box formats: exact conversions both ways, and bad boxes refused with one line."""

from __future__ import annotations

import numpy as np
import pytest

from augment.calls.box_formats import BOX_FORMATS, from_corners, to_corners
from augment.calls.errors import CallError

W, H = 200, 100
CORNERS = np.array([[10.0, 20.0, 50.0, 80.0], [0.0, 0.0, 200.0, 100.0], [5.5, 7.25, 5.5, 9.0]])
IN_FORMAT = {
    "pascal_voc": CORNERS,
    "coco": np.array([[10, 20, 40, 60], [0, 0, 200, 100], [5.5, 7.25, 0, 1.75]], float),
    "albumentations": CORNERS / [W, H, W, H],
    "yolo": np.array(
        [[0.15, 0.5, 0.2, 0.6], [0.5, 0.5, 1.0, 1.0], [5.5 / W, 8.125 / H, 0.0, 1.75 / H]]
    ),
}


@pytest.mark.parametrize("bbox_format", BOX_FORMATS)
def test_each_format_converts_exactly_both_ways(bbox_format: str) -> None:
    given = IN_FORMAT[bbox_format]
    np.testing.assert_allclose(to_corners(given, bbox_format, W, H), CORNERS, atol=1e-12)
    np.testing.assert_allclose(from_corners(CORNERS, bbox_format, W, H), given, atol=1e-12)


@pytest.mark.parametrize(
    ("bbox_format", "box", "message"),
    [
        ("coco", [10, 10, -1, 5], "negative width or height"),
        ("pascal_voc", [10, 10, 5, 20], "max below min"),
        ("yolo", [50, 40, 10, 10], "normalised to [0, 1]"),
        ("yolo", [0.95, 0.5, 0.2, 0.2], "normalised to [0, 1]"),
        ("albumentations", [0.1, 0.1, 1.5, 0.5], "normalised to [0, 1]"),
    ],
)
def test_bad_boxes_name_the_box_and_the_problem(bbox_format, box, message) -> None:
    boxes = np.array([[0.1, 0.1, 0.2, 0.2], box], dtype=float)
    with pytest.raises(CallError, match=r"^bboxes\[1\]: ") as err:
        to_corners(boxes, bbox_format, W, H)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(CallError, match="bbox_format: expected one of coco, yolo"):
        to_corners(CORNERS, "xywh", W, H)
