"""PNG encoding: lossless for every layout it takes, readable by Pillow and OpenCV."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from augment.core.errors import AugsynthError
from augment.images.encoding import encode_png, encode_pngs


@pytest.mark.parametrize("channels", [None, 3, 4])
def test_png_round_trips_every_pixel(channels: int | None) -> None:
    rng = np.random.default_rng(channels or 1)
    for _ in range(20):
        height, width = (int(v) for v in rng.integers(1, 70, 2))
        shape = (height, width) if channels is None else (height, width, channels)
        image = rng.integers(0, 256, shape, dtype=np.uint8)
        image[: height // 2] //= 16  # smooth and noisy rows both
        data = encode_png(image)
        with Image.open(io.BytesIO(data)) as pil:
            pil.verify()  # chunk CRCs and structure
        assert np.asarray(Image.open(io.BytesIO(data))).tobytes() == image.tobytes()
        decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if channels is not None:
            conversion = cv2.COLOR_BGR2RGB if channels == 3 else cv2.COLOR_BGRA2RGBA
            decoded = cv2.cvtColor(decoded, conversion)
        assert decoded.tobytes() == image.tobytes()


def test_a_stack_encodes_as_its_images_one_by_one() -> None:
    stack = np.random.default_rng(5).integers(0, 256, (6, 9, 13, 3), dtype=np.uint8)
    assert encode_pngs(stack) == [encode_png(image) for image in stack]


def test_float_images_are_rounded_to_8_bits() -> None:
    image = np.linspace(0.0, 1.0, 48, dtype=np.float32).reshape(4, 4, 3)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(image))))
    np.testing.assert_array_equal(decoded, np.clip(image * 255.0 + 0.5, 0, 255).astype(np.uint8))


def test_other_layouts_are_refused_in_one_line() -> None:
    for image in (np.zeros((4, 4, 2), np.uint8), np.zeros((0, 4), np.uint8)):
        with pytest.raises(AugsynthError, match="grey, RGB or RGBA"):
            encode_png(image)
