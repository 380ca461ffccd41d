"""Colour steps' batch paths (compiled loops, one output for the stack) give the bytes of the
NumPy code and of the per-image path they replace."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from augment.images import JpegCompression, LowResolution
from augment.images.photometric.kernels import multiply_uint8, ramps
from augment.images.photometric.lighting import Lighting, centred_pixels
from augment.images.pixels import from_float, grey_to_colour, to_float


@pytest.mark.parametrize("channels", [None, 3])
def test_multiply_uint8_matches_numpy_rounding_and_clipping(channels) -> None:
    rng = np.random.default_rng(5)
    shape = (20, 32, 32) if channels is None else (20, 32, 32, channels)
    images = rng.integers(0, 256, shape, dtype=np.uint8)
    fields = (rng.random((20, 32, 32), dtype=np.float32) * 2.5 - 0.2).astype(np.float32)
    values = to_float(images)
    values *= fields if channels is None else grey_to_colour(fields)
    expected = from_float(values, np.uint8)
    out = np.empty_like(images)
    multiply_uint8(
        images.reshape(20, 1024, -1), fields.reshape(20, 1024), out.reshape(20, 1024, -1)
    )
    assert (expected == 0).any() and (expected == 255).any()  # both clips are exercised
    np.testing.assert_array_equal(out, expected)


def test_ramps_match_numpy_broadcasting() -> None:
    angles = np.radians(np.linspace(0.0, 359.0, 37))
    cos, sin = np.cos(angles)[:, None], np.sin(angles)[:, None]
    xs, ys = centred_pixels(24, 40)
    half_extent = 0.5 * (np.abs(cos) * 40 + np.abs(sin) * 24)
    expected = ((ys * sin + xs * cos) / half_extent).astype(np.float32)
    out = np.empty_like(expected)
    ramps(xs, ys, cos[:, 0], sin[:, 0], half_extent[:, 0], out)
    np.testing.assert_array_equal(out, expected)


def test_lighting_batch_of_uint8_equals_numpy_float_path() -> None:
    """The uint8 batch (compiled) and the same stack as float32 (NumPy) agree after rounding
    the float result the way from_float does."""
    lighting = Lighting(strength=(0.3, 0.9))
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (30, 32, 32, 3), dtype=np.uint8)
    params = [lighting.draw_params(rng, None) for _ in range(30)]  # type: ignore[arg-type]
    assert {p["kind"] for p in params} == {"gradient", "shadow"}
    fields = lighting.fields(params, 32, 32)
    values = to_float(images)
    values *= grey_to_colour(fields)
    np.testing.assert_array_equal(
        lighting.transform_batch(images, params), from_float(values, np.uint8)
    )


@pytest.mark.parametrize("shape", [(12, 32, 32, 3), (12, 32, 32)])
@pytest.mark.parametrize(
    "transform",
    [JpegCompression(quality=(10, 95)), LowResolution(scale=(0.3, 1.0))],
    ids=["jpeg", "low-resolution"],
)
def test_batch_equals_each_image(shape, transform) -> None:
    """The stack crop by crop into one output gives each image's own bytes."""
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 256, shape, dtype=np.uint8)
    images = np.stack([cv2.GaussianBlur(image, (5, 5), 2) for image in noise])
    params = [transform.draw_params(rng, None) for _ in images]
    out = transform.transform_batch(images, params)
    assert not np.array_equal(out, images)
    for i, p in enumerate(params):
        np.testing.assert_array_equal(out[i], transform.transform_image(images[i], p))
