"""Boxes, polygons and keypoints drawn over a preview picture, so a look at preview.png
shows whether the labels moved with the pixels (the first thing a detection user checks).

They are drawn from the same columns the run records (boxes in the input's format), so
the preview shows what the dataset holds, not what the pipeline meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cv2
import numpy as np

from augment.calls.box_formats import to_corners
from augment.calls.errors import CallError
from augment.preview.sheet import to_rgb_uint8

# one colour per box (cycled), bright enough on dark and light images alike
PALETTE = [(255, 64, 64), (64, 200, 255), (255, 200, 0), (160, 255, 80), (255, 96, 255)]
SUBPIXEL = 4  # cv2 draws at 1/16-pixel positions with shift=4


def with_targets(
    picture: np.ndarray, columns: Mapping[str, Any], bbox_format: str, cell: int
) -> np.ndarray:
    """`picture` (H, W[, C] uint8) as RGB with the columns' `bboxes`, `segmentation` and
    `keypoints` drawn on it, lines about one cell pixel wide once fitted to a `cell`-pixel
    cell; the picture itself where there is nothing to draw."""
    if not any(columns.get(key) for key in ("bboxes", "segmentation", "keypoints")):
        return picture
    rgb = np.array(to_rgb_uint8(picture), order="C")  # a copy to draw on
    height, width = rgb.shape[:2]
    thickness = max(1, round(max(height, width) / cell))
    for k, corners in enumerate(_corners(columns.get("bboxes"), bbox_format, width, height)):
        x0, y0, x1, y1 = _fixed(np.asarray(corners) - 0.5)
        colour = PALETTE[k % len(PALETTE)]
        cv2.rectangle(rgb, (int(x0), int(y0)), (int(x1), int(y1)), colour,
                      thickness=thickness, lineType=cv2.LINE_AA, shift=SUBPIXEL)  # fmt: skip
    for k, polygons in enumerate(columns.get("segmentation") or []):
        outlines = [_fixed(np.asarray(flat).reshape(-1, 2) - 0.5) for flat in polygons]
        cv2.polylines(rgb, outlines, True, PALETTE[k % len(PALETTE)],
                      thickness=thickness, lineType=cv2.LINE_AA, shift=SUBPIXEL)  # fmt: skip
    for point in columns.get("keypoints") or []:
        x, y = (int(v) for v in _fixed(np.asarray(point[:2], np.float64)))
        cv2.circle(rgb, (x, y), thickness * 2 << SUBPIXEL, (255, 255, 255),
                   thickness=-1, lineType=cv2.LINE_AA, shift=SUBPIXEL)  # fmt: skip
    return rgb


def _corners(boxes: Any, bbox_format: str, width: int, height: int) -> np.ndarray:
    """The boxes as pixel corners; none where they cannot be read (a preview draws what it
    can: the run itself refuses such boxes with the file named)."""
    if not boxes:
        return np.zeros((0, 4))
    try:
        coords = np.asarray([row[:4] for row in boxes], np.float64)
        return to_corners(coords, bbox_format, width, height)
    except (CallError, ValueError, TypeError):
        return np.zeros((0, 4))


def _fixed(values: np.ndarray) -> np.ndarray:
    """Pixel-centre coordinates as cv2's fixed-point integers."""
    return np.round(values * (1 << SUBPIXEL)).astype(np.int32)
