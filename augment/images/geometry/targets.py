"""Move masks, keypoints and boxes through the same coordinate map as the image.

Keypoints are pixel-centre coordinates and move forward through the map (a warp is inverted
by fixed-point iteration). Keypoints leaving the frame are kept (with their outside
coordinates) so they stay aligned with any per-point labels. A box is pixel-edge
coordinates: its outline is moved (corners for a matrix map, points along each edge for a
warp), the new box is the bounding box of the moved outline, clipped to the frame, and is
dropped when the visible part is below `min_visibility` of it (or empty).
"""

from __future__ import annotations

import numpy as np

from augment.images.geometry.coordinate_map import CoordinateMap
from augment.images.geometry.remap import remap

EDGE_POINTS = 16  # samples per box edge when the map is not a single matrix


# dtypes OpenCV remaps as they are; others go through float64 (exact for ids below 2**53)
NATIVE_MASK_DTYPES = frozenset(np.dtype(t) for t in ("u1", "i1", "u2", "i2", "i4", "f4", "f8"))


def move_mask(mask: np.ndarray, cmap: CoordinateMap, border: str) -> np.ndarray:
    """Nearest-neighbour remapping, so class ids are never blended; constant border is 0."""
    if mask.dtype in NATIVE_MASK_DTYPES:
        return remap(mask, cmap, interpolation="nearest", border=border, fill=0.0)
    moved = remap(mask.astype(np.float64), cmap, interpolation="nearest", border=border)
    return moved.astype(mask.dtype)


def move_keypoints(keypoints: np.ndarray, cmap: CoordinateMap) -> np.ndarray:
    points = np.asarray(keypoints, dtype=np.float64).reshape(-1, 2)
    if not cmap.stages or len(points) == 0:
        return points.copy()
    return cmap.forward(points[None])[0]


def move_boxes(
    boxes: np.ndarray, cmap: CoordinateMap, min_visibility: float
) -> tuple[np.ndarray, np.ndarray]:
    """Moved boxes (M, 4) and the indices (M,) of the input boxes that were kept."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if len(boxes) == 0:
        return boxes.copy(), np.arange(0)
    outline = _outline(boxes, 2 if cmap.only_matrix() is not None else EDGE_POINTS)
    moved = cmap.forward((outline - 0.5).reshape(1, -1, 2))[0] + 0.5
    moved = moved.reshape(len(boxes), -1, 2)
    full = np.concatenate([moved.min(axis=1), moved.max(axis=1)], axis=1)
    clipped = full.copy()
    clipped[:, [0, 2]] = np.clip(full[:, [0, 2]], 0, cmap.width)
    clipped[:, [1, 3]] = np.clip(full[:, [1, 3]], 0, cmap.height)
    area = _area(full)
    visible = _area(clipped)
    keep = (visible > 0) & (visible >= min_visibility * area)
    return clipped[keep], np.flatnonzero(keep)


def _outline(boxes: np.ndarray, per_edge: int) -> np.ndarray:
    """(N, 4 * per_edge, 2) points along each box's four edges."""
    t = np.linspace(0.0, 1.0, per_edge)
    x0, y0, x1, y1 = (boxes[:, i, None] for i in range(4))
    xs = x0 + (x1 - x0) * t
    ys = y0 + (y1 - y0) * t
    ones = np.ones_like(t)
    top = np.stack([xs, y0 * ones], axis=-1)
    bottom = np.stack([xs, y1 * ones], axis=-1)
    left = np.stack([x0 * ones, ys], axis=-1)
    right = np.stack([x1 * ones, ys], axis=-1)
    return np.concatenate([top, bottom, left, right], axis=1)


def _area(boxes: np.ndarray) -> np.ndarray:
    return np.clip(boxes[:, 2] - boxes[:, 0], 0, None) * np.clip(boxes[:, 3] - boxes[:, 1], 0, None)
