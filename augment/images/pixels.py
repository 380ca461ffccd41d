"""Pixel-format helpers shared by image transforms: dtypes, value range, alpha channels.

Images are uint8 (0..255) or float32 in [0, 1], shaped (H, W), (H, W, 3) or (H, W, 4).
Photometric transforms change colour channels only: alpha is carried through untouched.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

# dtypes OpenCV's colour conversions take (images here are uint8 or float32)
CV_CHANNEL_DTYPES = frozenset(np.dtype(t) for t in ("u1", "u2", "f4"))


def max_value(image: np.ndarray) -> float:
    """The value of full intensity: 255 for uint8, 1.0 for float images."""
    return 255.0 if image.dtype == np.uint8 else 1.0


def has_alpha(image: np.ndarray) -> bool:
    return image.ndim == 3 and image.shape[2] == 4


def colour_of(rgba: np.ndarray) -> np.ndarray:
    """The colour channels of an RGBA image or stack (..., 4) as a new contiguous array.

    OpenCV's channel conversion: NumPy copies a trailing axis of 3 out of 4 one pixel at a
    time, tens of times slower on small crops.
    """
    if not _opencv_takes(rgba):
        return np.ascontiguousarray(rgba[..., :3])
    rows = np.ascontiguousarray(rgba).reshape(-1, rgba.shape[-2], 4)
    return cv2.cvtColor(rows, cv2.COLOR_RGBA2RGB).reshape(*rgba.shape[:-1], 3)


def with_alpha_of(colour: np.ndarray, rgba: np.ndarray) -> np.ndarray:
    """New colour channels (..., 3) put together with the alpha channel of `rgba` (..., 4)."""
    if not _opencv_takes(colour):
        return np.concatenate([colour, rgba[..., 3:].astype(colour.dtype, copy=False)], axis=-1)
    rows = np.ascontiguousarray(colour).reshape(-1, colour.shape[-2], 3)
    out = cv2.cvtColor(rows, cv2.COLOR_RGB2RGBA).reshape(*colour.shape[:-1], 4)
    out[..., 3] = rgba[..., 3]
    return out


def grey_to_colour(plane: np.ndarray) -> np.ndarray:
    """Single-channel values (..., W) repeated into three channels (..., W, 3), e.g. one
    factor per channel (NumPy broadcasts against a trailing axis of 3 slowly)."""
    if not _opencv_takes(plane):
        return np.repeat(plane[..., None], 3, axis=-1)
    rows = plane.reshape(-1, plane.shape[-1])
    return cv2.cvtColor(rows, cv2.COLOR_GRAY2RGB).reshape(*plane.shape, 3)


def _opencv_takes(pixels: np.ndarray) -> bool:
    """Whether OpenCV's colour conversions take these pixels (dtype, not empty)."""
    return pixels.dtype in CV_CHANNEL_DTYPES and pixels.size > 0


def to_float(image: np.ndarray) -> np.ndarray:
    """A new float32 array in [0, 1] (callers may change it in place)."""
    if image.dtype == np.uint8:
        return image.astype(np.float32) * np.float32(1 / 255)
    return image.astype(np.float32, copy=True)


def from_float(values: np.ndarray, dtype: npt.DTypeLike) -> np.ndarray:
    """Back to `dtype`, clipped to the valid range (rounded for uint8)."""
    if dtype == np.uint8:
        return np.clip(values * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return np.clip(values, 0.0, 1.0).astype(dtype, copy=False)


def colour_only(image: np.ndarray, fn) -> np.ndarray:
    """Apply `fn` to the colour channels, keeping alpha as it was."""
    if has_alpha(image):
        return with_alpha_of(fn(colour_of(image)), image)
    return fn(image)


def per_image(values: list[float], images: np.ndarray) -> np.ndarray:
    """Per-image scalars shaped to broadcast against a stack (n, H, W[, C])."""
    return np.asarray(values, dtype=np.float32).reshape(-1, *([1] * (images.ndim - 1)))


def from_float_batch(values: np.ndarray, dtype: npt.DTypeLike) -> np.ndarray:
    """Values already in the dtype's units (0..255 for uint8) back to it, in place."""
    high = np.float32(255.0 if dtype == np.uint8 else 1.0)
    np.maximum(values, np.float32(0.0), out=values)
    np.minimum(values, high, out=values)
    if dtype == np.uint8:
        np.rint(values, out=values)
    return values.astype(dtype, copy=False)
