"""The image boundary: what a pipeline accepts, converted where the meaning is obvious.

Transforms work on uint8 (0..255) or float32 in [0, 1], shaped (H, W), (H, W, 3) or
(H, W, 4). At the boundary (a library call, a decoded file) other inputs are either
converted, when they have one obvious meaning, or refused with one line saying why:

- uint16 (16-bit PNG/TIFF) becomes float32 in [0, 1] (value / 65535): no precision lost;
- float16 and float64 become float32 (values checked as for float32);
- (H, W, 1) becomes (H, W);
- refused: empty images, other ranks or channel counts, bool and other integer types
  (is int64 0..255 or 0..65535?), float values outside [0, 1] (a float image in 0..255
  would otherwise be clipped to white by the first colour step), NaN and infinity (one
  NaN pixel spreads through every remap and blur to the whole image).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.errors import AugsynthError

FLOAT_TOLERANCE = 1e-3  # float images a hair outside [0, 1] from rounding are accepted
CHANNELS = (3, 4)


class ImageFormatError(AugsynthError, ValueError):
    """An array that no transform can take; the message says what was given and why."""


def checked_image(image: Any, name: str = "image") -> np.ndarray:
    """`image` as an array the transforms take (converted where obvious), or an
    ImageFormatError naming `name` and the problem."""
    array = _as_array(image, name)
    array = _checked_shape(array, name)
    if array.dtype == np.uint8:
        return array
    if array.dtype == np.uint16:
        return (array / np.float32(65535)).astype(np.float32)
    if array.dtype.kind == "f":
        return check_float_range(array.astype(np.float32, copy=False), name)
    raise ImageFormatError(
        f"{name}: dtype {array.dtype} is ambiguous; give uint8 (0..255), uint16 or float in [0, 1]"
    )


def _as_array(image: Any, name: str) -> np.ndarray:
    if isinstance(image, np.ndarray):
        return image
    raise ImageFormatError(f"{name}: expected a NumPy array, got {type(image).__name__}")


def _checked_shape(array: np.ndarray, name: str) -> np.ndarray:
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in CHANNELS):
        raise ImageFormatError(f"{name}: shape {array.shape} is not (H, W), (H, W, 3) or (H, W, 4)")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ImageFormatError(f"{name}: empty image, shape {array.shape}")
    return array


def check_float_range(array: np.ndarray, name: str = "image") -> np.ndarray:
    """`array` (an image or a stack of them) if its values are finite and in [0, 1]."""
    low, high = float(array.min()), float(array.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ImageFormatError(f"{name}: holds NaN or infinite values")
    if low < -FLOAT_TOLERANCE or high > 1 + FLOAT_TOLERANCE:
        hint = "; divide by 255 (or pass uint8)" if high <= 255 + FLOAT_TOLERANCE else ""
        raise ImageFormatError(
            f"{name}: float values must be in [0, 1], got {low:g}..{high:g}{hint}"
        )
    return array


def check_sample_values(sample: object) -> None:
    """At a call boundary, an image sample's float pixels must be finite and in [0, 1]: NaN
    would spread through every remap and values in 0..255 would be clipped to white.
    (ImageSample itself checks only shape and dtype, which costs nothing on hot paths.)"""
    image = getattr(sample, "image", None)
    if isinstance(image, np.ndarray) and image.dtype.kind == "f":
        check_float_range(image)
