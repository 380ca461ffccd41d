"""Images in the types users hold come back in the same type, layout and dtype; the pixels
are the pipeline's own (compared with a direct run), and bad images are one-line errors."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from augment import ImageSample, build_pipeline, example_rng
from augment.calls import CallError, call_image

torch = pytest.importorskip("torch")

PIPELINE = build_pipeline([{"Rotate": {"degrees": 15}}, {"Contrast": {}}])
INVERT = build_pipeline({"Invert": {}})


def _values(shape: tuple[int, ...], dtype) -> np.ndarray:
    rng = np.random.default_rng(0)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(0, np.iinfo(dtype).max, shape, endpoint=True).astype(dtype)
    return rng.random(shape).astype(dtype)


def _direct(pixels: np.ndarray) -> np.ndarray:
    return PIPELINE.run(ImageSample(pixels), example_rng(1, 2))[0].image


@pytest.mark.parametrize("shape", [(20, 30), (20, 30, 1), (20, 30, 3), (20, 30, 4)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_numpy_hwc_keeps_shape_and_dtype_and_matches_a_direct_run(shape, dtype) -> None:
    image = _values(shape, dtype)
    out = call_image(PIPELINE, image, rng=example_rng(1, 2))["image"]
    assert out.shape == shape and out.dtype == dtype
    pixels = image.astype(np.float32) if dtype == np.float64 else image  # processed as float32
    direct = _direct(pixels[:, :, 0] if shape[-1] == 1 else pixels)
    np.testing.assert_array_equal(out.reshape(direct.shape), direct.astype(dtype))


def test_uint16_is_processed_as_float_and_rounded_back_exactly() -> None:
    image = _values((16, 16, 3), np.uint16)
    out = call_image(INVERT, image)["image"]
    assert out.dtype == np.uint16
    np.testing.assert_array_equal(out, 65535 - image)  # no 8-bit step in between


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "I;16"])
def test_pil_modes_come_back_as_pil_in_the_same_mode(mode: str) -> None:
    dtype = np.uint16 if mode == "I;16" else np.uint8
    channels = {"RGB": (3,), "RGBA": (4,)}.get(mode, ())
    array = _values((18, 22, *channels), dtype)
    image = Image.fromarray(array)
    assert image.mode == mode
    out = call_image(INVERT, image)["image"]
    assert isinstance(out, Image.Image) and out.mode == mode and out.size == (22, 18)
    full = 65535 if mode == "I;16" else 255
    expected = full - array
    if mode == "RGBA":
        expected[..., 3] = array[..., 3]  # alpha is carried through
    np.testing.assert_array_equal(np.asarray(out), expected)


@pytest.mark.parametrize("shape", [(3, 20, 30), (4, 20, 30), (1, 20, 30), (20, 30)])
@pytest.mark.parametrize("dtype", ["uint8", "float32", "uint16"])
def test_tensors_are_chw_and_come_back_as_tensors(shape, dtype) -> None:
    values = _values(shape, np.dtype(dtype))
    tensor = torch.from_numpy(values)
    out = call_image(PIPELINE, tensor, rng=example_rng(1, 2))["image"]
    assert isinstance(out, torch.Tensor) and tuple(out.shape) == shape
    assert out.dtype == tensor.dtype
    hwc = values.transpose(1, 2, 0) if values.ndim == 3 else values
    via_numpy = call_image(PIPELINE, np.ascontiguousarray(hwc), rng=example_rng(1, 2))["image"]
    chw = via_numpy.transpose(2, 0, 1) if via_numpy.ndim == 3 else via_numpy
    np.testing.assert_array_equal(out.numpy(), chw)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((0, 0), np.uint8), "empty image"),
        (np.zeros((8, 8, 5), np.uint8), "has 5 channels"),
        (np.zeros((3, 8, 8), np.uint8), "transpose"),
        (np.zeros((8, 8), bool), "dtype bool"),
        (np.zeros((8, 8), np.int64), "dtype int64"),
        (np.zeros((8, 8), np.float16), "dtype float16"),
        (np.full((8, 8), np.nan, np.float32), "NaN"),
        (np.full((8, 8), 255.0, np.float32), "divide by 255"),
        (np.zeros((8, 8, 3, 1), np.uint8), "4 dimensions"),
        ([[0, 1]], "expected a PIL image"),
        (Image.new("P", (8, 8)), "convert"),
        (Image.new("LA", (8, 8)), "PIL mode 'LA'"),
        (torch.zeros(2, 3, 8, 8), "a batch"),
        (torch.zeros(5, 8, 8), "shape (5, 8, 8)"),
        (torch.zeros(3, 8, 8, dtype=torch.int64), "dtype torch.int64"),
        (torch.zeros(3, 8, 8, dtype=torch.float16), "dtype torch.float16"),
    ],
)
def test_bad_images_are_one_line_errors(image, message: str) -> None:
    with pytest.raises(CallError, match=r"^image: ") as err:
        call_image(PIPELINE, image)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_masks_come_back_in_their_own_type() -> None:
    mirror = build_pipeline({"Mirror": {}})
    ids = np.zeros((10, 12), np.uint8)
    ids[2:5, 1:4] = 3
    palette_mask = Image.fromarray(ids)
    palette_mask.putpalette([0, 0, 0, 255, 0, 0] * 128)
    out = call_image(mirror, np.zeros((10, 12, 3), np.uint8), mask=palette_mask)["mask"]
    assert out.mode == "P" and out.getpalette() == palette_mask.getpalette()
    np.testing.assert_array_equal(np.asarray(out), ids[:, ::-1])
    tensor_mask = torch.from_numpy(ids.astype(np.int64))[None]
    out = call_image(mirror, torch.zeros(3, 10, 12), mask=tensor_mask)["mask"]
    assert tuple(out.shape) == (1, 10, 12) and out.dtype == torch.int64
    np.testing.assert_array_equal(out[0].numpy(), ids[:, ::-1])
