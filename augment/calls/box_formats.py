"""Box formats users bring, to and from the pipeline's boxes (pixel corners on pixel edges).

The pipeline's boxes are (N, 4) x_min, y_min, x_max, y_max in pixels, edges at integers (a
box around the whole W x H image is 0, 0, W, H). Conversions are exact up to float rounding:

- pascal_voc: x_min, y_min, x_max, y_max in pixels (the same);
- coco: x_min, y_min, width, height in pixels;
- yolo: x_centre, y_centre, width, height, normalised by the image size;
- albumentations: x_min, y_min, x_max, y_max, normalised by the image size.
"""

from __future__ import annotations

import numpy as np

from augment.calls.errors import CallError

BOX_FORMATS = ("coco", "yolo", "pascal_voc", "albumentations")
NORMALISED = ("yolo", "albumentations")
TOLERANCE = 1e-6  # normalised values a float rounding outside [0, 1] are still accepted


def check_format(bbox_format: str) -> str:
    if bbox_format not in BOX_FORMATS:
        raise CallError(
            "bbox_format", f"expected one of {', '.join(BOX_FORMATS)}, got {bbox_format!r}"
        )
    return bbox_format


def to_corners(boxes: np.ndarray, bbox_format: str, width: int, height: int) -> np.ndarray:
    """(N, 4) boxes in `bbox_format` as pixel corners, checked."""
    check_format(bbox_format)
    _check_values(boxes, bbox_format)
    a, b, c, d = (boxes[:, i] for i in range(4))
    if bbox_format == "coco":
        a, b, c, d = a, b, a + c, b + d
    elif bbox_format == "yolo":
        a, b, c, d = (
            (a - c / 2) * width,
            (b - d / 2) * height,
            (a + c / 2) * width,
            (b + d / 2) * height,
        )
    elif bbox_format == "albumentations":
        a, b, c, d = a * width, b * height, c * width, d * height
    return np.stack([a, b, c, d], axis=1).reshape(-1, 4)


def from_corners(corners: np.ndarray, bbox_format: str, width: int, height: int) -> np.ndarray:
    """Pixel corners (N, 4) back in `bbox_format`."""
    x0, y0, x1, y1 = (corners[:, i] for i in range(4))
    if bbox_format == "coco":
        out = (x0, y0, x1 - x0, y1 - y0)
    elif bbox_format == "yolo":
        out = ((x0 + x1) / 2 / width, (y0 + y1) / 2 / height, (x1 - x0) / width, (y1 - y0) / height)
    elif bbox_format == "albumentations":
        out = (x0 / width, y0 / height, x1 / width, y1 / height)
    else:
        out = (x0, y0, x1, y1)
    return np.stack(out, axis=1).reshape(-1, 4)


def _check_values(boxes: np.ndarray, bbox_format: str) -> None:
    """Sizes not negative; normalised formats within [0, 1] (a pixel value there is a
    format mix-up worth naming)."""
    sizes = boxes[:, 2:] if bbox_format in ("coco", "yolo") else boxes[:, 2:] - boxes[:, :2]
    negative = np.flatnonzero(np.any(sizes < 0, axis=1))
    if len(negative):
        i = negative[0]
        what = "negative width or height" if bbox_format in ("coco", "yolo") else "max below min"
        raise CallError(f"bboxes[{i}]", f"{bbox_format} box {boxes[i].tolist()}: {what}")
    if bbox_format not in NORMALISED:
        return
    if bbox_format == "yolo":
        low = boxes[:, :2] - boxes[:, 2:] / 2
        high = boxes[:, :2] + boxes[:, 2:] / 2
        extent = np.concatenate([low, high], axis=1)
    else:
        extent = boxes
    outside = np.any((extent < -TOLERANCE) | (extent > 1 + TOLERANCE), axis=1)
    if np.any(outside):
        i = np.flatnonzero(outside)[0]
        raise CallError(
            f"bboxes[{i}]",
            f"{bbox_format} boxes are normalised to [0, 1], got {boxes[i].tolist()} "
            "(pixels? use bbox_format='coco' or 'pascal_voc')",
        )
