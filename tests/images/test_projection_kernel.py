"""The compiled projection of sampling grids gives NumPy's float64 result, rounded alike."""

from __future__ import annotations

import numpy as np
import pytest

from augment.images.geometry.coordinate_map import CoordinateMap, project
from augment.images.geometry.projection import project_to_float32


@pytest.mark.parametrize("perspective", [True, False])
def test_project_to_float32_matches_numpy(perspective) -> None:
    rng = np.random.default_rng(4)
    matrix = np.tile(np.eye(3), (9, 1, 1)) + rng.normal(0, 0.05, (9, 3, 3))
    matrix[:, 2] = [0.0, 0.0, 1.0]
    if perspective:
        matrix[:, 2, :2] = rng.normal(0, 2e-3, (9, 2))
        matrix[0, 2] = [0.0, 0.0, 0.0]  # w == 0 everywhere: held at 1e-12
    x = (rng.random((9, 300)) * 40 - 4).astype(np.float32)
    y = (rng.random((9, 300)) * 40 - 4).astype(np.float32)
    u_ref, v_ref = project(matrix, x.astype(float), y.astype(float))
    u, v = np.empty_like(x), np.empty_like(y)
    project_to_float32(matrix, x, y, u, v)
    np.testing.assert_array_equal(u, u_ref.astype(np.float32))
    np.testing.assert_array_equal(v, v_ref.astype(np.float32))


def test_perspective_then_field_grid_uses_the_projection() -> None:
    """A perspective followed by a grid field: the sampling grid is the field's upsampled
    positions projected through the matrix (checked against NumPy's projection)."""
    rng = np.random.default_rng(2)
    matrix = np.tile(np.eye(3), (5, 1, 1))
    matrix[:, 2, 0] = rng.normal(0, 1e-3, 5)
    field = rng.normal(0, 1.0, (5, 4, 4, 2))
    cmap = CoordinateMap(32, 32, (matrix, field))
    x, y = cmap.sampling_grid()
    field_only = CoordinateMap(32, 32, (field,))
    fx, fy = field_only.sampling_grid()
    u, v = project(matrix, fx.reshape(5, -1).astype(float), fy.reshape(5, -1).astype(float))
    np.testing.assert_array_equal(x, u.astype(np.float32).reshape(5, 32, 32))
    np.testing.assert_array_equal(y, v.astype(np.float32).reshape(5, 32, 32))
