"""One coordinate map for a whole run of geometric transforms, so the image is remapped once.

A map is a chain of stages in forward order (input side first), all in the same H x W frame,
with pixel centres at integer coordinates. Each stage is stored the way remapping needs it,
as the *backward* mapping from output to input positions:

- a matrix stage, shape (n, 3, 3): homogeneous backward matrix (affine or perspective);
  consecutive matrix stages multiply into one;
- a field stage, shape (n, gh, gw, 2): displacements (dx, dy) on a grid of vertices spanning
  the image edge to edge; output point p samples the input at p + d(p), d bilinear between
  vertices (a grid warp, or a smoothed elastic field).

The leading axis n is a batch of examples sharing the chain's structure; a single example
is n = 1. When the chain is (affine) then (at most one field) on the output side, the
backward map is exactly bilinear between the field's vertices, so it is computed on the
coarse grid and upsampled with two small matrix products instead of per-pixel gathers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from augment.images.geometry.projection import project_to_float32

FIXED_POINT_ITERATIONS = 30


def is_matrix(stage: np.ndarray) -> bool:
    return stage.ndim == 3


def is_affine(matrix: np.ndarray) -> bool:
    """Whether backward matrices (n, 3, 3) have no perspective part."""
    if matrix.shape[0] == 1:
        row = matrix[0, 2]
        return row[0] == 0.0 and row[1] == 0.0 and row[2] == 1.0
    return bool((matrix[:, 2, :2] == 0).all() and (matrix[:, 2, 2] == 1).all())


@dataclass(slots=True)
class CoordinateMap:
    """Backward coordinate map of a chain of geometric stages over an H x W frame."""

    height: int
    width: int
    stages: tuple[np.ndarray, ...] = ()

    def then(self, stage: np.ndarray) -> CoordinateMap:
        """This map followed by `stage` (applied after it, on the output side)."""
        if self.stages and is_matrix(stage) and is_matrix(self.stages[-1]):
            # forward F = F_new @ F_old, so backward B = B_old @ B_new
            merged = np.matmul(self.stages[-1], stage)
            return CoordinateMap(self.height, self.width, (*self.stages[:-1], merged))
        return CoordinateMap(self.height, self.width, (*self.stages, stage))

    @property
    def batch(self) -> int:
        return self.stages[0].shape[0] if self.stages else 1

    def only_matrix(self) -> np.ndarray | None:
        """The single backward matrix (n, 3, 3) when the chain has no field, else None."""
        if not self.stages:
            return np.eye(3)[None]
        if len(self.stages) == 1 and is_matrix(self.stages[0]):
            return self.stages[0]
        return None

    def sampling_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Source x and y of every output pixel, each (n, H, W) float32 (per-image contiguous)."""
        coarse = self._coarse_sources()
        if coarse is not None:
            return upsample(coarse, self.height, self.width)
        stages = self.stages
        if (
            len(stages) == 2
            and is_matrix(stages[0])
            and not is_matrix(stages[1])
            and stages[0].shape[0] == stages[1].shape[0]
        ):
            # (perspective) then a field: the field's positions are bilinear between its
            # vertices, so upsample them (in float32, within 1e-3 px of the float64 path
            # even at 3000 px) and apply the matrix per pixel: no per-pixel gathers
            gh, gw = stages[1].shape[1:3]
            vertices = vertex_positions(self.height, self.width, gh, gw)
            x, y = upsample(vertices + stages[1], self.height, self.width)
            shape = (self.batch, self.height, self.width)
            u, v = np.empty(shape, np.float32), np.empty(shape, np.float32)
            flat = (self.batch, -1)
            project_to_float32(
                np.ascontiguousarray(stages[0], dtype=np.float64),
                x.reshape(flat), y.reshape(flat), u.reshape(flat), v.reshape(flat),
            )  # fmt: skip
            return u, v
        points = pixel_grid(self.height, self.width)
        src = self.backward(np.broadcast_to(points, (self.batch, *points.shape)))
        src = src.reshape(self.batch, self.height, self.width, 2).astype(np.float32)
        return np.ascontiguousarray(src[..., 0]), np.ascontiguousarray(src[..., 1])

    def _coarse_sources(self) -> np.ndarray | None:
        """Source positions at field vertices when the map is bilinear between them."""
        stages = self.stages
        field = None
        if stages and not is_matrix(stages[-1]):
            field, stages = stages[-1], stages[:-1]
        if len(stages) > 1 or (stages and not (is_matrix(stages[0]) and is_affine(stages[0]))):
            return None  # a perspective or a second field is not bilinear between vertices
        gh, gw = (2, 2) if field is None else field.shape[1:3]
        src = vertex_positions(self.height, self.width, gh, gw)
        src = src[None] if field is None else src + field
        if stages:
            m = stages[0]
            src = np.matmul(src, m[:, None, :2, :2].transpose(0, 1, 3, 2)) + m[:, None, None, :2, 2]
        if src.shape[0] != self.batch:
            src = np.broadcast_to(src, (self.batch, gh, gw, 2))
        return src

    def backward(self, points: np.ndarray) -> np.ndarray:
        """Input positions (n, P, 2) that output positions `points` (n, P, 2) sample."""
        p = np.asarray(points, dtype=np.float64)
        for stage in reversed(self.stages):
            if is_matrix(stage):
                p = apply_matrix(stage, p)
            else:
                p = p + field_at_points(stage, p, self.height, self.width)
        return p

    def forward(self, points: np.ndarray) -> np.ndarray:
        """Output positions of input positions `points` (n, P, 2): where targets move to."""
        p = np.asarray(points, dtype=np.float64)
        for stage in self.stages:
            if is_matrix(stage):
                p = apply_matrix(np.linalg.inv(stage), p)
            else:
                p = invert_field(stage, p, self.height, self.width)
        return p


def apply_matrix(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Homogeneous transform of points (n, P, 2) by matrices (n, 3, 3)."""
    return np.stack(project(matrix, points[..., 0], points[..., 1]), axis=-1)


def project(matrix: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`apply_matrix` on coordinates (n, P) kept apart: no interleaving for callers that
    need them apart (a sampling grid) and would pay two strided copies."""
    m = matrix[:, :, :, None]
    u = m[:, 0, 0] * x + m[:, 0, 1] * y + m[:, 0, 2]
    v = m[:, 1, 0] * x + m[:, 1, 1] * y + m[:, 1, 2]
    if is_affine(matrix):
        return u, v
    w = m[:, 2, 0] * x + m[:, 2, 1] * y + m[:, 2, 2]
    w = np.where(np.abs(w) < 1e-12, 1e-12, w)
    return u / w, v / w


def field_at_points(field: np.ndarray, points: np.ndarray, height: int, width: int) -> np.ndarray:
    """Bilinear displacement (n, P, 2) of fields (n, gh, gw, 2) at points (n, P, 2).

    Beyond the outermost vertices the border value is held.
    """
    n, gh, gw, _ = field.shape
    gx = np.clip((points[..., 0] + 0.5) * ((gw - 1) / width), 0, gw - 1)
    gy = np.clip((points[..., 1] + 0.5) * ((gh - 1) / height), 0, gh - 1)
    x0 = np.minimum(gx.astype(np.intp), gw - 2)
    y0 = np.minimum(gy.astype(np.intp), gh - 2)
    fx = (gx - x0)[..., None]
    fy = (gy - y0)[..., None]
    flat = field.reshape(n * gh * gw, 2)
    # index of each point's top-left vertex in the flattened batch of fields
    base = y0 * gw + x0 + (np.arange(n) * (gh * gw)).reshape(-1, *([1] * (y0.ndim - 1)))
    d00, d01, d10, d11 = flat[base], flat[base + 1], flat[base + gw], flat[base + gw + 1]
    top = d00 + (d01 - d00) * fx
    bottom = d10 + (d11 - d10) * fx
    return top + (bottom - top) * fy


def invert_field(field: np.ndarray, points: np.ndarray, height: int, width: int) -> np.ndarray:
    """Solve q + d(q) = p for q by fixed-point iteration (fields here do not fold)."""
    q = points - field_at_points(field, points, height, width)
    for _ in range(FIXED_POINT_ITERATIONS):
        q = points - field_at_points(field, q, height, width)
    return q


@lru_cache(maxsize=64)
def vertex_positions(height: int, width: int, gh: int, gw: int) -> np.ndarray:
    """(gh, gw, 2) x, y of vertices spanning pixel edges (-0.5 .. size - 0.5)."""
    xs = np.linspace(-0.5, width - 0.5, gw)
    ys = np.linspace(-0.5, height - 0.5, gh)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    grid.setflags(write=False)
    return grid


@lru_cache(maxsize=64)
def pixel_grid(height: int, width: int) -> np.ndarray:
    """(H*W, 2) x, y of every pixel centre, row by row."""
    ys, xs = np.mgrid[0:height, 0:width]
    grid = np.stack([xs.ravel(), ys.ravel()], axis=-1).astype(np.float64)
    grid.setflags(write=False)
    return grid


@lru_cache(maxsize=64)
def _hat_weights(pixels: int, vertices: int) -> np.ndarray:
    """(pixels, vertices) linear-interpolation weights from vertices to pixel centres."""
    g = (np.arange(pixels) + 0.5) * ((vertices - 1) / pixels)
    w = np.maximum(0.0, 1.0 - np.abs(g[:, None] - np.arange(vertices)[None, :]))
    w = w.astype(np.float32)
    w.setflags(write=False)
    return w


def upsample(values: np.ndarray, height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Bilinear upsampling of vertex values (n, gh, gw, 2) to two (n, H, W) float32 maps."""
    gh, gw = values.shape[1:3]
    wy = _hat_weights(height, gh)
    wx = _hat_weights(width, gw)
    v = np.ascontiguousarray(values.transpose(0, 3, 1, 2), dtype=np.float32)  # (n, 2, gh, gw)
    dense = wy @ v @ wx.T  # (n, 2, H, W): two small products, separable
    return dense[:, 0], dense[:, 1]
