"""The image boundary converts what has one meaning and refuses the rest on one line."""

from __future__ import annotations

import numpy as np
import pytest

from augment.images.image_checks import ImageFormatError, checked_image


def test_uint8_and_float32_pass_through_unchanged():
    grey = np.zeros((4, 5), np.uint8)
    assert checked_image(grey) is grey
    rgb = np.full((4, 5, 3), 0.5, np.float32)
    assert checked_image(rgb) is rgb


def test_uint16_is_scaled_to_float_not_clipped():
    image = np.array([[0, 32768, 65535]], np.uint16)
    out = checked_image(image)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.0, 32768 / 65535, 1.0]], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
def test_other_floats_become_float32(dtype):
    out = checked_image(np.full((3, 3), 0.25, dtype))
    assert out.dtype == np.float32 and out[0, 0] == 0.25


def test_a_single_channel_axis_is_dropped():
    assert checked_image(np.zeros((6, 7, 1), np.uint8)).shape == (6, 7)


@pytest.mark.parametrize(
    ("image", "words"),
    [
        (np.zeros((0, 0), np.uint8), "empty image"),
        (np.zeros((5, 0, 3), np.uint8), "empty image"),
        (np.zeros((4, 4, 5), np.uint8), "is not (H, W)"),
        (np.zeros((4,), np.uint8), "is not (H, W)"),
        (np.zeros((2, 4, 4, 3), np.uint8), "is not (H, W)"),
        (np.zeros((4, 4), bool), "dtype bool is ambiguous"),
        (np.zeros((4, 4), np.int8), "dtype int8 is ambiguous"),
        (np.zeros((4, 4), np.int64), "dtype int64 is ambiguous"),
        (np.full((4, 4), 200.0, np.float32), "divide by 255"),
        (np.full((4, 4), -0.5, np.float32), "must be in [0, 1]"),
        ([[0, 1], [1, 0]], "expected a NumPy array, got list"),
    ],
)
def test_what_has_no_obvious_meaning_is_refused_on_one_line(image, words):
    with pytest.raises(ImageFormatError) as err:
        checked_image(image, name="crop.png")
    message = str(err.value)
    assert message.startswith("crop.png: ") and words in message and "\n" not in message


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_one_nan_or_inf_pixel_is_refused(bad):
    image = np.full((8, 8), 0.5, np.float32)
    image[3, 4] = bad
    with pytest.raises(ImageFormatError, match="NaN or infinite"):
        checked_image(image)


@pytest.mark.parametrize(
    ("image", "words"),
    [
        (np.zeros((0, 0), np.uint8), "empty image"),
        (np.zeros((6, 6, 5), np.uint8), "is not (H, W)"),
        (np.zeros(6, np.uint8), "is not (H, W)"),
        (np.zeros((6, 6), bool), "ambiguous"),
        (np.zeros((6, 6), np.int8), "ambiguous"),
        (np.zeros((6, 6), np.int64), "ambiguous"),
        ([[0, 1], [1, 0]], "expected a NumPy array"),
    ],
)
def test_a_pipeline_refuses_what_no_transform_takes_on_one_line(image, words):
    from augment import ImageSample, build_pipeline

    with pytest.raises(ImageFormatError) as err:
        build_pipeline(["Rotate", "Contrast"])(ImageSample(image))
    assert str(err.value).startswith("image: ") and words in str(err.value)


def test_a_pipeline_converts_uint16_and_float16_and_checks_float_values():
    from augment import AugmentedDataset, ImageSample, build_pipeline

    pipeline = build_pipeline(["Rotate", "Contrast"])
    deep = ImageSample(np.full((8, 8), 40000, np.uint16))
    assert pipeline(deep).image.dtype == np.float32
    assert pipeline(ImageSample(np.full((8, 8), 0.5, np.float16))).image.dtype == np.float32
    nan = np.full((8, 8), 0.5, np.float32)
    nan[2, 2] = np.nan
    with pytest.raises(ImageFormatError, match="NaN"):
        pipeline(ImageSample(nan))
    bright = np.full((8, 8), 200.0, np.float32)
    with pytest.raises(ImageFormatError, match="divide by 255"):
        pipeline(ImageSample(bright))
    with pytest.raises(ImageFormatError, match="divide by 255"):  # the batch path too
        AugmentedDataset([ImageSample(bright)] * 2, pipeline, seed=0)[0]
