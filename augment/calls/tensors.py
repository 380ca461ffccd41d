"""ToTensor and Normalize: what a training script applies after the pipeline.

They are output adapters, not pipeline steps (Transforms). A Transform maps a sample to a
sample of the same kind: the batch path stacks its arrays, the geometry fuser moves its
targets, the dataset writers encode it, the contract tests chain steps after it, and its
params replay it. A step that returns a float tensor normalised outside [0, 1] would break
each of those for whatever came after it, while drawing nothing worth recording. So the
pipeline stays in pixels, and these run last, outside it: `AugmentedPairs(...,
output=[ToTensor(), Normalize(mean, std)])`, or called on a `call_image` result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.calls.errors import CallError
from augment.calls.pixels import is_tensor, to_pixels
from augment.core.sample import ImageSample


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("ToTensor and Normalize need torch: pip install torch") from None
    return torch


@dataclass(frozen=True)
class ToTensor:
    """An image as a float32 (C, H, W) tensor in [0, 1], as torchvision's ToImage followed
    by ToDtype(float32, scale=True): uint8 / 255, uint16 / 65535; grey gives C = 1."""

    def __call__(self, image: Any) -> Any:
        torch = _torch()
        if isinstance(image, ImageSample):
            image = image.image
        pixels, _ = to_pixels(image)
        values = (
            pixels.astype(np.float32) * np.float32(1 / 255) if pixels.dtype == np.uint8 else pixels
        )
        values = values[:, :, None] if values.ndim == 2 else values
        return torch.from_numpy(np.ascontiguousarray(values.transpose(2, 0, 1), dtype=np.float32))


@dataclass(frozen=True)
class Normalize:
    """(x - mean) / std per channel of a float (C, H, W) tensor, as torchvision's Normalize.

    Anything else ToTensor takes (PIL, NumPy, a uint8 tensor) goes through ToTensor first.
    mean, std: one value per channel, or one for all channels.
    """

    mean: Sequence[float]
    std: Sequence[float]

    def __post_init__(self) -> None:
        for name in ("mean", "std"):
            values = getattr(self, name)
            if isinstance(values, int | float):
                values = (values,)
            try:
                values = tuple(float(v) for v in values)
            except (TypeError, ValueError):
                raise CallError(
                    name, f"expected numbers, one per channel, got {values!r}"
                ) from None
            if not values or not all(np.isfinite(values)):
                raise CallError(name, f"expected finite numbers, one per channel, got {values!r}")
            object.__setattr__(self, name, values)
        if min(self.std) <= 0:
            raise CallError("std", f"must be positive, got {self.std}")
        if len(self.mean) != len(self.std) and 1 not in (len(self.mean), len(self.std)):
            raise CallError("std", f"{len(self.std)} values for {len(self.mean)} means")

    def __call__(self, image: Any) -> Any:
        torch = _torch()
        tensor = image if _is_float_chw(image) else ToTensor()(image)
        channels = tensor.shape[0]
        for name, values in (("mean", self.mean), ("std", self.std)):
            if len(values) not in (1, channels):
                raise CallError(name, f"{len(values)} values for a {channels}-channel image")
        mean = torch.tensor(self.mean, dtype=tensor.dtype, device=tensor.device).reshape(-1, 1, 1)
        std = torch.tensor(self.std, dtype=tensor.dtype, device=tensor.device).reshape(-1, 1, 1)
        return (tensor - mean) / std


def _is_float_chw(image: Any) -> bool:
    return is_tensor(image) and image.is_floating_point() and image.ndim == 3
