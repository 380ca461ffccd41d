"""Remap an image (or a stack of same-size crops) through a coordinate map, once.

Uses OpenCV (opencv-python-headless): warpAffine/warpPerspective when the whole map is one
matrix, remap with per-pixel source coordinates otherwise.
"""

from __future__ import annotations

import cv2
import numpy as np

from augment.images.geometry.coordinate_map import CoordinateMap, is_affine

BORDERS = ("constant", "reflect", "replicate")
BORDER_CHOICES = (*BORDERS, "random")
INTERPOLATIONS = ("nearest", "linear", "cubic")

CV_BORDER = {
    "constant": cv2.BORDER_CONSTANT,
    "reflect": cv2.BORDER_REFLECT_101,
    "replicate": cv2.BORDER_REPLICATE,
}
CV_INTERPOLATION = {
    "nearest": cv2.INTER_NEAREST,
    "linear": cv2.INTER_LINEAR,
    "cubic": cv2.INTER_CUBIC,
}


def fill_value(image: np.ndarray, fill: float) -> tuple[float, ...]:
    """The border colour for `fill` in [0, 1]; alpha of an RGBA border is transparent."""
    value = fill * (255.0 if image.dtype == np.uint8 else 1.0)
    if image.ndim == 3 and image.shape[2] == 4:
        return (value, value, value, 0.0)
    return (value, value, value, value)


def remap(
    image: np.ndarray,
    cmap: CoordinateMap,
    *,
    interpolation: str = "linear",
    border: str = "replicate",
    fill: float = 0.0,
) -> np.ndarray:
    """`image` seen through the backward map `cmap` (same size, same dtype)."""
    if not cmap.stages:
        return image
    flags, mode, value = CV_INTERPOLATION[interpolation], CV_BORDER[border], fill_value(image, fill)
    image = np.ascontiguousarray(image)  # OpenCV rejects strided views (e.g. a transposed crop)
    matrix = cmap.only_matrix()
    if matrix is not None:
        out = _warp(image, matrix[0], is_affine(matrix), flags, mode, value)
    else:
        map_x, map_y = cmap.sampling_grid()
        out = cv2.remap(image, map_x[0], map_y[0], flags, borderMode=mode, borderValue=value)
    return _in_range(out.reshape(image.shape), interpolation)


def remap_stack(
    images: np.ndarray,
    cmap: CoordinateMap,
    *,
    interpolation: str = "linear",
    border: str = "replicate",
    fill: float = 0.0,
) -> np.ndarray:
    """A stack (n, H, W[, C]) seen through a batch map of n examples, one call per image.

    One OpenCV call per image beats one call over the stack laid out as a tall image (which
    needs coordinate folding and fixed-point offsets), and gives the same pixels as
    `remap` on each image.
    """
    flags, mode = CV_INTERPOLATION[interpolation], CV_BORDER[border]
    value = fill_value(images[0], fill)
    out = np.empty_like(images)
    matrix = cmap.only_matrix()
    if matrix is not None:
        affine = is_affine(matrix)
        if len(matrix) != len(images):
            matrix = np.broadcast_to(matrix, (len(images), 3, 3))
        for i, image in enumerate(images):
            _warp(image, matrix[i], affine, flags, mode, value, dst=out[i])
    else:
        map_x, map_y = cmap.sampling_grid()
        for i, image in enumerate(images):
            cv2.remap(image, map_x[i], map_y[i], flags, dst=out[i], borderMode=mode,
                      borderValue=value)  # fmt: skip
    return _in_range(out, interpolation)


def _warp(
    image: np.ndarray,
    matrix: np.ndarray,
    affine: bool,
    flags: int,
    mode: int,
    value: tuple[float, ...],
    dst: np.ndarray | None = None,
) -> np.ndarray:
    """warpAffine / warpPerspective with a backward matrix (3, 3)."""
    h, w = image.shape[:2]
    flags |= cv2.WARP_INVERSE_MAP
    if affine:
        return cv2.warpAffine(image, matrix[:2], (w, h), dst=dst, flags=flags, borderMode=mode,
                              borderValue=value)  # fmt: skip
    return cv2.warpPerspective(image, matrix, (w, h), dst=dst, flags=flags, borderMode=mode,
                               borderValue=value)  # fmt: skip


def _in_range(image: np.ndarray, interpolation: str) -> np.ndarray:
    """Cubic interpolation overshoots near edges: keep float images within [0, 1]."""
    if interpolation == "cubic" and image.dtype.kind == "f":
        np.clip(image, 0.0, 1.0, out=image)
    return image
