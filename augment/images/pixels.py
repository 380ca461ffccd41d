"""Pixel-format helpers shared by image transforms: dtypes, value range, alpha channels.

Images are uint8 (0..255) or float32 in [0, 1], shaped (H, W), (H, W, 3) or (H, W, 4).
Photometric transforms change colour channels only: alpha is carried through untouched.
"""

from __future__ import annotations

import numpy as np


def max_value(image: np.ndarray) -> float:
    """The value of full intensity: 255 for uint8, 1.0 for float images."""
    return 255.0 if image.dtype == np.uint8 else 1.0


def split_alpha(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Colour channels and the alpha channel (None when there is none)."""
    if image.ndim == 3 and image.shape[2] == 4:
        return image[:, :, :3], image[:, :, 3:]
    return image, None


def join_alpha(colour: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """Put an alpha channel back after the colour channels were changed."""
    if alpha is None:
        return colour
    return np.concatenate([colour, alpha.astype(colour.dtype, copy=False)], axis=2)


def to_float(image: np.ndarray) -> np.ndarray:
    """A new float32 array in [0, 1] (callers may change it in place)."""
    if image.dtype == np.uint8:
        return image.astype(np.float32) * np.float32(1 / 255)
    return image.astype(np.float32, copy=True)


def from_float(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Back to `dtype`, clipped to the valid range (rounded for uint8)."""
    if dtype == np.uint8:
        return np.clip(values * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return np.clip(values, 0.0, 1.0).astype(dtype, copy=False)


def colour_only(image: np.ndarray, fn) -> np.ndarray:
    """Apply `fn` to the colour channels, keeping alpha as it was."""
    colour, alpha = split_alpha(image)
    return join_alpha(fn(np.ascontiguousarray(colour) if alpha is not None else colour), alpha)


def per_image(values: list[float], images: np.ndarray) -> np.ndarray:
    """Per-image scalars shaped to broadcast against a stack (n, H, W[, C])."""
    return np.asarray(values, dtype=np.float32).reshape(-1, *([1] * (images.ndim - 1)))


def has_alpha(image: np.ndarray) -> bool:
    return image.ndim == 3 and image.shape[2] == 4


def from_float_batch(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Values already in the dtype's units (0..255 for uint8) back to it, in place."""
    high = np.float32(255.0 if dtype == np.uint8 else 1.0)
    np.maximum(values, np.float32(0.0), out=values)
    np.minimum(values, high, out=values)
    if dtype == np.uint8:
        np.rint(values, out=values)
    return values.astype(dtype, copy=False)
