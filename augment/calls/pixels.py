"""Images as users hold them (PIL, NumPy HWC, torch CHW) to and from the pipeline's arrays.

The pipeline works on (H, W) or (H, W, 3|4) arrays, uint8 or float32 in [0, 1]. The rule for
everything else, undone on the way out so the result has the type, layout and dtype that
came in:

- NumPy arrays are HWC (a trailing axis of 1 is grey); torch tensors are CHW (or HW), as
  torchvision defines them; PIL images in modes L, RGB, RGBA and I;16.
- uint16 is scaled to float32 in [0, 1] (no precision lost to 8 bits) and rounded back;
  float64 is processed as float32; floats must be finite and within [0, 1].
- Anything else (bool, int64, float16, 2 or 5 channels, an empty image) is refused with one
  line naming the argument.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.calls.errors import CallError

PIL_MODES = ("L", "RGB", "RGBA", "I;16")
CHANNELS = (1, 3, 4)
TENSOR_DTYPES = ("uint8", "uint16", "float32", "float64")
UINT16_MAX = 65535.0


@dataclass(frozen=True)
class PixelLayout:
    """How an image came in, so the pipeline's result goes back the same way."""

    container: str  # "numpy", "pil" or "torch"
    dtype: str  # the NumPy dtype name of the values that came in
    trailing_axis: bool  # a grey image with its channel axis ((H, W, 1) or (1, H, W))
    device: str | None = None  # torch only

    def restore(self, pixels: np.ndarray) -> Any:
        """The pipeline's (H, W[, C]) uint8/float32 array in the type that came in."""
        values = _restore_dtype(pixels, np.dtype(self.dtype))
        if self.container == "pil":
            from PIL import Image

            return Image.fromarray(values)
        if self.trailing_axis and values.ndim == 2:
            values = values[:, :, None]
        if self.container == "numpy":
            return values
        import torch

        tensor = torch.from_numpy(np.ascontiguousarray(values))
        if tensor.ndim == 3:
            tensor = tensor.permute(2, 0, 1).contiguous()
        return tensor.to(self.device)


def to_pixels(image: Any, argument: str = "image") -> tuple[np.ndarray, PixelLayout]:
    """The pipeline's array for `image` and the layout to restore the result with."""
    if is_tensor(image):
        values, layout = _from_tensor(image, argument)
    elif is_pil_image(image):
        values, layout = _from_pil(image, argument)
    elif isinstance(image, np.ndarray):
        _check_numpy_layout(image, argument)
        trailing = image.ndim == 3 and image.shape[2] == 1
        values, layout = image, PixelLayout("numpy", image.dtype.name, trailing)
    else:
        kind = type(image).__name__
        raise CallError(argument, f"expected a PIL image, NumPy array or torch tensor, got {kind}")
    return _pipeline_values(values, argument), layout


def is_tensor(value: Any) -> bool:
    """Whether `value` is a torch tensor (without importing torch)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def is_pil_image(value: Any) -> bool:
    """Whether `value` is a PIL image (without importing PIL)."""
    image_module = sys.modules.get("PIL.Image")
    return image_module is not None and isinstance(value, image_module.Image)


def _from_pil(image: Any, argument: str) -> tuple[np.ndarray, PixelLayout]:
    if image.mode not in PIL_MODES:
        raise CallError(
            argument,
            f"PIL mode {image.mode!r} is not supported ({', '.join(PIL_MODES)}); "
            "convert it first, e.g. image.convert('RGB')",
        )
    values = np.asarray(image)
    if image.mode == "I;16":
        values = values.astype(np.uint16)
    return values, PixelLayout("pil", values.dtype.name, False)


def _from_tensor(tensor: Any, argument: str) -> tuple[np.ndarray, PixelLayout]:
    shape = tuple(tensor.shape)
    if tensor.ndim == 4:
        raise CallError(argument, f"a batch {shape}: pass one image (C, H, W) at a time")
    if tensor.ndim not in (2, 3) or (tensor.ndim == 3 and shape[0] not in CHANNELS):
        raise CallError(
            argument, f"shape {shape}: a tensor is (C, H, W) with C in 1, 3, 4, or (H, W)"
        )
    if str(tensor.dtype).removeprefix("torch.") not in TENSOR_DTYPES:
        raise CallError(
            argument,
            f"dtype {tensor.dtype} is not supported: use uint8, uint16, or float32/float64 "
            "in [0, 1]",
        )
    values = tensor.detach().cpu().numpy()
    trailing = values.ndim == 3 and values.shape[0] == 1
    if values.ndim == 3:
        values = values.transpose(1, 2, 0)
    return values, PixelLayout("torch", values.dtype.name, trailing, str(tensor.device))


def _check_numpy_layout(image: np.ndarray, argument: str) -> None:
    if image.ndim == 2 or (image.ndim == 3 and image.shape[2] in CHANNELS):
        return
    hint = ""
    if image.ndim == 3 and image.shape[0] in CHANNELS:
        hint = "; NumPy images are (H, W, C): for a (C, H, W) array pass array.transpose(1, 2, 0)"
    channels = f"{image.shape[2]} channels" if image.ndim == 3 else f"{image.ndim} dimensions"
    raise CallError(
        argument,
        f"shape {image.shape} has {channels}; expected (H, W) grey or (H, W, C) "
        f"with C 1 (grey), 3 (RGB) or 4 (RGBA){hint}",
    )


def _pipeline_values(values: np.ndarray, argument: str) -> np.ndarray:
    """Checked (H, W[, 3|4]) values as uint8 or float32 in [0, 1]."""
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise CallError(argument, f"empty image of shape {tuple(values.shape)}")
    if values.ndim == 3 and values.shape[2] == 1:
        values = values[:, :, 0]
    dtype = values.dtype
    if dtype == np.uint8:
        return values
    if dtype == np.uint16:
        return values.astype(np.float32) * np.float32(1 / UINT16_MAX)
    if dtype in (np.float32, np.float64):
        _check_unit_range(values, argument)
        return values.astype(np.float32, copy=False)
    raise CallError(
        argument,
        f"dtype {dtype} is not supported: use uint8, uint16, or float32/float64 in [0, 1]",
    )


def _check_unit_range(values: np.ndarray, argument: str) -> None:
    if not np.all(np.isfinite(values)):
        raise CallError(argument, "contains NaN or infinite values")
    low, high = float(values.min()), float(values.max())
    if low < 0.0 or high > 1.0:
        hint = " (0..255 values? divide by 255 or pass uint8)" if high > 1.0 else ""
        raise CallError(argument, f"float values must be in [0, 1], got {low:g}..{high:g}{hint}")


def _restore_dtype(pixels: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if pixels.dtype == dtype:
        return pixels
    if dtype == np.uint16:
        return np.rint(np.clip(pixels, 0.0, 1.0) * UINT16_MAX).astype(np.uint16)
    return pixels.astype(dtype)
