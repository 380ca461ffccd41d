"""Segmentation polygons (COCO's `segmentation` lists) moved with their image.

A polygon rides through the pipeline as extra keypoints at its vertices. Straight edges stay
straight under the affine and perspective steps but bend under elastic and grid warps, so
edges are first cut into pieces of at most MAX_EDGE pixels; after the move, the polygon is
clipped to the image and the vertices that lie on a straight line are dropped again
(within SIMPLIFY_TOLERANCE pixels), which gives the original vertices back under a rotation.

Coordinates are COCO's: continuous pixel coordinates, (0, 0) the top-left corner of the
image (keypoints are pixel centres, half a pixel further in).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from augment.core.polygon_area import polygon_area

MAX_EDGE = 4.0  # pixels: a warp bends an edge little over this length
SIMPLIFY_TOLERANCE = 0.25  # pixels

Polygon = np.ndarray  # (N, 2) float64 x, y
BoxPolygons = list[list[float]]  # one box's polygons, each flat [x0, y0, x1, y1, ...]


def polygon_problem(value: object) -> str | None:
    """Why `value` is not one box's polygon list (COCO: [[x0, y0, x1, y1, ...], ...])."""
    if not isinstance(value, list):
        return f"expected a list of polygons, got {type(value).__name__}"
    for polygon in value:
        if not isinstance(polygon, list) or len(polygon) < 6 or len(polygon) % 2:
            return "a polygon needs at least three x, y pairs"
        if not all(isinstance(v, (int, float)) and np.isfinite(v) for v in polygon):
            return "a polygon holds a value that is not a finite number"
    return None


def densified(polygons: BoxPolygons) -> list[Polygon]:
    """Each polygon with edges longer than MAX_EDGE cut into equal pieces."""
    result = []
    for flat in polygons:
        points = np.asarray(flat, np.float64).reshape(-1, 2)
        ends = np.roll(points, -1, axis=0)
        pieces = np.maximum(1, np.ceil(np.hypot(*(ends - points).T) / MAX_EDGE)).astype(int)
        steps = [np.arange(n) / n for n in pieces]
        result.append(
            np.concatenate(
                [p + t[:, None] * (e - p) for p, e, t in zip(points, ends, steps, strict=True)]
            )
        )
    return result


def settled(polygons: Sequence[Polygon], width: int, height: int) -> BoxPolygons:
    """The moved polygons clipped to the image and simplified; those with no area left
    are dropped."""
    kept = []
    for points in polygons:
        clipped = clip_to_rectangle(points, width, height)
        if len(clipped) < 3 or polygon_area(clipped) <= 0:
            continue
        simple = cv2.approxPolyDP(clipped.astype(np.float32)[:, None], SIMPLIFY_TOLERANCE, True)
        simple = simple.reshape(-1, 2).astype(np.float64)
        if len(simple) < 3 or polygon_area(simple) <= 0:
            continue
        kept.append([round(float(v), 2) for v in simple.reshape(-1)])
    return kept


def clip_to_rectangle(points: Polygon, width: float, height: float) -> Polygon:
    """The part of the polygon inside [0, width] x [0, height] (Sutherland-Hodgman: each
    side of the rectangle cuts the polygon in turn)."""
    for axis, limit, keep_below in ((0, 0.0, False), (0, width, True), (1, 0.0, False),
                                    (1, height, True)):  # fmt: skip
        if len(points) == 0:
            break
        points = _clip_side(points, axis, limit, keep_below)
    return points


def _clip_side(points: Polygon, axis: int, limit: float, keep_below: bool) -> Polygon:
    inside = points[:, axis] <= limit if keep_below else points[:, axis] >= limit
    out: list[np.ndarray] = []
    for k in range(len(points)):
        current, following = points[k], points[(k + 1) % len(points)]
        if inside[k]:
            out.append(current)
        if inside[k] != inside[(k + 1) % len(points)]:
            t = (limit - current[axis]) / (following[axis] - current[axis])
            out.append(current + t * (following - current))
    return np.asarray(out, np.float64).reshape(-1, 2)
