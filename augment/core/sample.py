"""Samples carry their targets so every transform can keep them consistent."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_TAKEN = (np.dtype(np.uint8), np.dtype(np.float32))


def _taken_shape(shape: tuple[int, ...]) -> bool:
    return (len(shape) == 2 or (len(shape) == 3 and shape[2] in (3, 4))) and 0 not in shape[:2]


@dataclass(frozen=True)
class ImageSample:
    """An image and everything that must move or change with it.

    image: (H, W) or (H, W, C) with C in {3, 4}; uint8, or float32 in [0, 1].
    mask: (H, W) integer map the same size as the image.
    keypoints: (N, 2) float x, y with pixel centres at integer coordinates.
    boxes: (N, 4) float x_min, y_min, x_max, y_max on pixel edges.
    extra: columns that flow through untouched (source file, writer, ...).
    """

    image: np.ndarray
    label: str | None = None
    mask: np.ndarray | None = None
    keypoints: np.ndarray | None = None
    boxes: np.ndarray | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """The boundary of every transform: an image of a shape and dtype they take passes
        at once; one with an obvious meaning is converted (uint16 scaled to float32, other
        floats cast); anything else is refused on one line, not deep inside OpenCV."""
        image = self.image
        if type(image) is np.ndarray and image.dtype in _TAKEN and _taken_shape(image.shape):
            return
        from augment.images.image_checks import checked_image

        object.__setattr__(self, "image", checked_image(image))

    def replace(self, **changes: Any) -> ImageSample:
        """A copy with some fields changed (samples are immutable)."""
        return dataclasses.replace(self, **changes)

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])


@dataclass(frozen=True)
class AudioSample:
    """A waveform with its rate and labels.

    waveform: float32, (n,) for mono or (channels, n).
    label: transcript or class; extra: speaker and any other columns.
    """

    waveform: np.ndarray
    sample_rate: int
    label: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> AudioSample:
        """A copy with some fields changed (samples are immutable)."""
        return dataclasses.replace(self, **changes)

    @property
    def duration(self) -> float:
        return self.waveform.shape[-1] / self.sample_rate
