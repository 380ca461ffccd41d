"""The area a polygon encloses: what COCO records as a segmented object's `area`, and what
tells a clipped polygon that nothing of it is left."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def polygon_area(points: np.ndarray) -> float:
    """The area of an (N, 2) x, y polygon in square pixels (the shoelace formula)."""
    x, y = points[:, 0], points[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def flat_polygons_area(polygons: Sequence[Sequence[float]]) -> float:
    """The summed area of polygons given flat, as COCO writes them: [x0, y0, x1, y1, ...]."""
    return sum(polygon_area(np.asarray(flat, np.float64).reshape(-1, 2)) for flat in polygons)
