"""Photometric transforms: real effects, every pixel format, targets untouched."""

from __future__ import annotations

import numpy as np
import pytest
from image_helpers import gradient_energy, letter_like, registered_image_transforms

from augment import ImageSample, example_rng
from augment.core.registry import registered
from augment.images import (
    Blur,
    Brightness,
    Contrast,
    Gamma,
    Invert,
    JpegCompression,
    Lighting,
    LowResolution,
    Noise,
)
from augment.images.photometric.base import PhotometricTransform

ALL = [registered()[name]() for name in registered_image_transforms(PhotometricTransform)]
FORMATS = [
    (np.uint8, None),
    (np.uint8, 3),
    (np.uint8, 4),
    (np.float32, None),
    (np.float32, 3),
    (np.float32, 4),
]


@pytest.mark.parametrize("transform", ALL, ids=lambda t: type(t).__name__)
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f"{f[0].__name__}-{f[1]}")
@pytest.mark.parametrize("size", [16, 45])
def test_every_format_keeps_shape_dtype_alpha_and_targets(transform, fmt, size) -> None:
    dtype, channels = fmt
    image = letter_like(size, dtype, channels)
    kp = np.array([[3.0, 4.0]])
    sample = ImageSample(image, label="x", keypoints=kp, mask=np.ones((size, size), np.int32))
    out = transform(sample, example_rng(0, 3))
    assert out.image.shape == image.shape and out.image.dtype == image.dtype
    if channels == 4:
        np.testing.assert_array_equal(out.image[:, :, 3], image[:, :, 3])
    if dtype == np.float32:
        assert out.image.min() >= 0.0 and out.image.max() <= 1.0
    assert out.label == "x" and out.keypoints is kp and out.mask is sample.mask


def test_contrast_keeps_the_mean_and_scales_spread() -> None:
    image = letter_like(32, np.float32)
    out = Contrast(factor=(0.5, 0.5)).apply(ImageSample(image), {"factor": 0.5}).image
    assert abs(out.mean() - image.mean()) < 1e-4
    assert abs(out.std() - 0.5 * image.std()) < 1e-4


def test_brightness_gamma_invert_do_what_they_say() -> None:
    image = letter_like(32, np.uint8)
    brighter = Brightness().apply(ImageSample(image), {"delta": 0.05}).image
    np.testing.assert_array_equal(brighter.astype(int), np.minimum(image.astype(int) + 13, 255))
    ramp = np.linspace(0, 255, 256, dtype=np.uint8).reshape(16, 16)
    dark = Gamma().apply(ImageSample(ramp), {"gamma": 2.0}).image
    assert dark[0, 0] == 0 and dark[-1, -1] == 255 and (dark <= ramp).all()
    assert dark.flat[128] == round((128 / 255) ** 2 * 255)
    inverted = Invert()(ImageSample(image)).image
    np.testing.assert_array_equal(inverted, 255 - image)


def test_blur_kinds_reduce_gradient_energy() -> None:
    image = letter_like(64, np.float32)
    for kind in ("gaussian", "motion", "defocus"):
        params = {"kind": kind, "size": 0.04, "angle": 30.0}
        out = Blur().apply(ImageSample(image), params).image
        assert gradient_energy(out) < 0.7 * gradient_energy(image), kind
        assert abs(out.mean() - image.mean()) < 0.01  # normalised kernels


def test_motion_blur_smears_along_its_angle() -> None:
    image = np.zeros((33, 33), np.float32)
    image[16, 16] = 1.0
    out = Blur().apply(ImageSample(image), {"kind": "motion", "size": 0.3, "angle": 0.0}).image
    assert out[16].sum() > 0.95 and out[16, 20] > 0 and out[20, 16] == 0


def test_low_resolution_loses_detail_and_jpeg_quality_matters() -> None:
    image = letter_like(64, np.uint8)
    low = LowResolution().apply(ImageSample(image), {"scale": 0.25, "upsampling": "linear"}).image
    assert gradient_energy(low) < gradient_energy(image)
    rgb = letter_like(64, np.uint8, 3)
    rgb[::2, ::3] = 30  # texture that compression damages
    errors = []
    for quality in (10, 95):
        out = JpegCompression().apply(ImageSample(rgb), {"quality": quality}).image
        errors.append(np.abs(out.astype(int) - rgb).mean())
    assert errors[0] > 2 * errors[1] > 0


def test_lighting_gradient_and_shadow() -> None:
    flat = np.full((40, 40), 0.5, np.float32)
    ramp = (
        Lighting()
        .apply(ImageSample(flat), {"kind": "gradient", "strength": 0.4, "angle": 0.0})
        .image
    )
    assert np.all(np.diff(ramp[20]) > 0) and abs(ramp[20, 0] - 0.3) < 0.02
    shade = (
        Lighting(softness=0.05)
        .apply(ImageSample(flat), {"kind": "shadow", "strength": 0.5, "angle": 0.0, "offset": 0.0})
        .image
    )
    assert abs(shade[20, 0] - 0.5) < 0.01 and abs(shade[20, -1] - 0.25) < 0.01


def test_noise_has_the_drawn_sigma_and_is_replayable() -> None:
    flat = np.full((128, 128), 0.5, np.float32)
    out = Noise().apply(ImageSample(flat), {"sigma": 0.05, "seed": 11}).image
    assert abs((out - flat).std() - 0.05) < 0.003
    again = Noise().apply(ImageSample(flat), {"sigma": 0.05, "seed": 11}).image
    np.testing.assert_array_equal(out, again)


def test_choices_are_drawn_uniformly_by_counting() -> None:
    blur = Blur()
    kinds = [blur.draw_params(example_rng(2, i), None)["kind"] for i in range(3000)]
    for kind in ("gaussian", "motion", "defocus"):
        assert abs(kinds.count(kind) / 3000 - 1 / 3) < 0.04


def test_jpeg_compression_subsamples_true_chroma() -> None:
    """The result matches an RGB-aware JPEG encoder (Pillow), not one fed swapped channels."""
    import io

    import cv2
    from PIL import Image

    rng = np.random.default_rng(0)
    image = np.kron(rng.integers(0, 256, (16, 16, 3)), np.ones((4, 4, 1))).astype(np.uint8)
    ours = JpegCompression(50).apply(ImageSample(image), {"quality": 50}).image.astype(int)
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=50)
    reference = np.asarray(Image.open(buffer)).astype(int)
    _, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 50])
    swapped = cv2.imdecode(data, cv2.IMREAD_UNCHANGED).astype(int)
    assert np.abs(ours - reference).mean() < 0.5 * np.abs(swapped - reference).mean()


def test_jpeg_compression_decodes_the_pixels_opencv_decodes() -> None:
    """simplejpeg decodes what OpenCV encoded to OpenCV's own decoded pixels, colour and
    grey, at widths on and off the 16-pixel chroma blocks and at every quality band."""
    import cv2

    rng = np.random.default_rng(3)
    for trial in range(120):
        height, width = int(rng.integers(8, 70)), (31, 32, 33, 48, 64, 17)[trial % 6]
        smooth = cv2.resize(rng.integers(0, 256, (6, 6, 3)).astype(np.uint8), (width, height))
        image = np.clip(smooth + rng.normal(0, 12, smooth.shape), 0, 255).astype(np.uint8)
        grey = trial % 4 == 3
        image = image[:, :, 1] if grey else image
        quality = int(rng.integers(1, 101))
        ours = JpegCompression().apply(ImageSample(image), {"quality": quality}).image
        encoded = image if grey else cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        _, data = cv2.imencode(".jpg", encoded, [cv2.IMWRITE_JPEG_QUALITY, quality])
        opencv = cv2.imdecode(data, cv2.IMREAD_UNCHANGED if grey else cv2.IMREAD_COLOR_RGB)
        assert ours.tobytes() == opencv.tobytes(), (trial, height, width, quality)
