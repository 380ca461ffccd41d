"""A compiled loop (numba) that projects a batch's sampling grids through their matrices.

NumPy evaluates the homogeneous product as a dozen whole-array passes over (n, P) float64
temporaries, which costs more than the warp itself on small crops; one loop per point does
the same float64 operations in the same order (numba contracts no multiply-add) and
rounds to float32 as `astype` does, so the maps are equal to the bit.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def project_to_float32(matrix, x, y, u_out, v_out) -> None:
    """u, v = (m0 . p) / (m2 . p), (m1 . p) / (m2 . p) for p = (x, y, 1) of each image's
    points (n, P) with its matrix (n, 3, 3), |m2 . p| held at 1e-12 at least, as float32."""
    for k in range(x.shape[0]):
        m = matrix[k]
        for p in range(x.shape[1]):
            px, py = np.float64(x[k, p]), np.float64(y[k, p])
            u = m[0, 0] * px + m[0, 1] * py + m[0, 2]
            v = m[1, 0] * px + m[1, 1] * py + m[1, 2]
            w = m[2, 0] * px + m[2, 1] * py + m[2, 2]
            if abs(w) < 1e-12:
                w = 1e-12
            u_out[k, p] = np.float32(u / w)
            v_out[k, p] = np.float32(v / w)
