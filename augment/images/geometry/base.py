"""What every geometric transform shares: its stage of the coordinate map and remapping.

A geometric transform contributes one stage to a coordinate map: a backward 3x3 matrix
(output position -> input position, pixel centres at integer coordinates) or a displacement
field on a vertex grid. Applying it alone is the fuser applied to one step, so a transform
behaves the same inside or outside a fused run.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augment.core.sample import ImageSample
from augment.core.transform import Params, Transform
from augment.core.validation import check_choice, check_number
from augment.images.geometry.fuser import fuse_geometry, fuse_geometry_batch
from augment.images.geometry.remap import BORDER_CHOICES, BORDERS, INTERPOLATIONS
from augment.images.image_batch import ImageBatch


class GeometricTransform(Transform):
    """Base of geometric transforms: fusable under the key "geometry"."""

    kind: ClassVar[str] = "image"
    fusion_key: ClassVar[str | None] = "geometry"

    def stage(self, params: Params, height: int, width: int) -> np.ndarray | None:
        """Backward matrix (3, 3) or field (gh, gw, 2) for these params; None = identity."""
        raise NotImplementedError

    def stage_batch(self, params: list[Params], height: int, width: int) -> np.ndarray:
        """Stages of many examples stacked, (n, 3, 3) or (n, gh, gw, 2); identity for None.

        Subclasses vectorise this where building stages one by one would dominate.
        """
        stages = [self.stage(p, height, width) for p in params]
        return np.stack([np.eye(3) if s is None else s for s in stages])

    @property
    def draws_ahead(self) -> bool:
        """Geometric draws read the shape and label, never the pixels."""
        return True

    @property
    def keeps_label(self) -> bool:
        return type(self).relabel is GeometricTransform.relabel

    def relabel(self, label: str | None, params: Params) -> str | None:
        """The class label after this step (only label-aware transforms change it)."""
        return label

    def apply(self, sample: ImageSample, params: Params) -> ImageSample:
        return fuse_geometry(sample, [(self, params)])

    def apply_batch(self, batch: ImageBatch, params: list[Params]) -> ImageBatch:
        return fuse_geometry_batch(batch, [self], [params])


class RemappingTransform(GeometricTransform):
    """A geometric transform that interpolates, so it has border and interpolation settings.

    interpolation: "linear" (default), "cubic" or "nearest".
    border: what fills pixels that come from outside the image: "replicate" (default),
        "reflect", "constant" (the `fill` value) or "random" (one of the three per call,
        recorded in params).
    fill: grey level in [0, 1] for the constant border (RGBA borders are transparent).
    min_visibility: boxes whose visible part is below this fraction are dropped.
    In a fused run, the first step that has these settings decides them for the run.
    """

    def _set_remapping(
        self, interpolation: str, border: str, fill: float, min_visibility: float
    ) -> None:
        self.interpolation = check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.border = check_choice("border", border, BORDER_CHOICES)
        self.fill = check_number("fill", fill, 0.0, 1.0)
        self.min_visibility = check_number("min_visibility", min_visibility, 0.0, 1.0)

    def _with_border(self, rng: np.random.Generator, params: Params) -> Params:
        """`params` plus the border drawn for this call when border='random' (recorded)."""
        if self.border == "random":
            params["border"] = BORDERS[int(rng.random() * len(BORDERS))]
        return params


def backward_about_centre(
    linear: tuple[float, float, float, float],
    shift: tuple[float, float],
    size: tuple[int, int],
) -> np.ndarray:
    """Backward matrix of the forward map p' = L (p - centre) + centre + (tx, ty).

    L = [[a, b], [c, d]] from `linear`, (tx, ty) = `shift`, `size` = (height, width); built
    with plain floats because it runs once per example.
    """
    row0, row1 = _backward_rows(linear, shift, size)
    return np.array([row0, row1, (0.0, 0.0, 1.0)])


def backward_about_centre_batch(
    linear: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    shift: tuple[np.ndarray | float, np.ndarray | float],
    size: tuple[int, int],
) -> np.ndarray:
    """`backward_about_centre` for arrays of coefficients: (n, 3, 3)."""
    (m00, m01, m02), (m10, m11, m12) = _backward_rows(linear, shift, size)
    m = np.zeros((len(linear[0]), 3, 3))
    m[:, 0, 0], m[:, 0, 1], m[:, 0, 2] = m00, m01, m02
    m[:, 1, 0], m[:, 1, 1], m[:, 1, 2] = m10, m11, m12
    m[:, 2, 2] = 1.0
    return m


def _backward_rows(linear: Any, shift: Any, size: tuple[int, int]) -> tuple[Any, Any]:
    """The top two rows of the backward matrix, for floats or arrays alike (same arithmetic,
    so one example's matrix is the same alone or in a batch)."""
    a, b, c, d = linear
    tx, ty = shift
    height, width = size
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    ox, oy = cx + tx, cy + ty
    return (ia, ib, cx - ia * ox - ib * oy), (ic, id_, cy - ic * ox - id_ * oy)


def column(params: list[Params], key: str, default: float = 0.0) -> np.ndarray:
    """One param of many examples as a float array."""
    return np.array([p.get(key, default) for p in params], dtype=np.float64)
