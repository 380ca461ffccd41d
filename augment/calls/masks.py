"""Segmentation masks as users hold them (NumPy, PIL, torch) to and from the pipeline's maps.

The pipeline moves an (H, W) map of class ids with nearest-neighbour sampling, so ids are
never blended. Masks come as NumPy (H, W), torch (H, W) or (1, H, W), or PIL images in
modes L, P (the palette is kept), I, I;16 or 1; integer or bool values only, the size of
the image. The result has the type, shape and dtype that came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.calls.errors import CallError
from augment.calls.pixels import is_pil_image, is_tensor

PIL_MASK_MODES = ("L", "P", "I", "I;16", "1")


@dataclass(frozen=True)
class MaskLayout:
    """How a mask came in, so the moved mask goes back the same way."""

    container: str  # "numpy", "pil" or "torch"
    leading_axis: bool = False  # a torch (1, H, W) mask
    palette: tuple[int, ...] | None = None  # a PIL "P" mask's palette
    device: str | None = None

    def restore(self, values: np.ndarray) -> Any:
        if self.container == "numpy":
            return values
        if self.container == "pil":
            from PIL import Image

            out = Image.fromarray(values)
            if self.palette is not None:
                out.putpalette(list(self.palette))
            return out
        import torch

        tensor = torch.from_numpy(np.ascontiguousarray(values))
        return (tensor[None] if self.leading_axis else tensor).to(self.device)


def to_mask(
    mask: Any, image_size: tuple[int, int], argument: str = "mask"
) -> tuple[np.ndarray, MaskLayout]:
    """The pipeline's (H, W) map for `mask` (checked against the image's (H, W))."""
    if is_tensor(mask):
        layout = MaskLayout("torch", mask.ndim == 3, device=str(mask.device))
        values = mask.detach().cpu().numpy()
        values = values[0] if layout.leading_axis and values.shape[0] == 1 else values
    elif is_pil_image(mask):
        if mask.mode not in PIL_MASK_MODES:
            modes = ", ".join(PIL_MASK_MODES)
            raise CallError(argument, f"PIL mode {mask.mode!r} is not a mask mode ({modes})")
        palette = tuple(mask.getpalette()) if mask.mode == "P" else None
        values, layout = np.asarray(mask), MaskLayout("pil", palette=palette)
    elif isinstance(mask, np.ndarray):
        values, layout = mask, MaskLayout("numpy")
    else:
        raise CallError(
            argument, f"expected a NumPy array, PIL image or tensor, got {type(mask).__name__}"
        )
    if values.ndim != 2 or tuple(values.shape) != tuple(image_size):
        raise CallError(
            argument,
            f"shape {tuple(values.shape)}: expected (H, W) = {tuple(image_size)}, the image's size",
        )
    if not (np.issubdtype(values.dtype, np.integer) or values.dtype == np.bool_):
        raise CallError(argument, f"dtype {values.dtype}: a mask holds integer class ids or bool")
    return values, layout
