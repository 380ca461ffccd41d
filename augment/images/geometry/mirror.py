"""Label-aware mirroring: flip only what stays a valid example of its (possibly new) class."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import cv2
import numpy as np

from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import check_choice
from augment.images.geometry.base import GeometricTransform

# Glyphs that look the same mirrored left-right, in common fonts.
HORIZONTAL_SYMMETRIC = tuple("AHIMOTUVWXYilovwx08!|-_=+*.:'\"^")
# Glyphs that look the same mirrored top-bottom, in common fonts.
VERTICAL_SYMMETRIC = tuple("BCDEHIKOXclox038-_=+*.|:")


@register
class Mirror(GeometricTransform):
    """Flip left-right (or top-bottom) only when the class label allows it.

    Realistic for symmetric objects and for OCR classes whose glyph is mirror-symmetric:
    'A', 'H', 'o' stay themselves mirrored, while 'b' mirrored is a 'd' (set `label_map`
    to relabel such pairs) and 'R' mirrored is no letter at all. Labels that are neither
    symmetric nor mapped are left unflipped. Wrap in Maybe(p=...) to flip only sometimes.

    axis: "horizontal" (left-right) or "vertical" (top-bottom).
    symmetric: labels that stay themselves when flipped (default: a built-in set of
        symmetric glyphs for the axis; [] for none).
    label_map: labels that become another label when flipped, e.g. {b: d, d: b, p: q, q: p}.
    flip_unlabelled: whether examples without a label are flipped.
    """

    def __init__(
        self,
        axis: str = "horizontal",
        symmetric: Iterable[str] | None = None,
        label_map: Mapping[str, str] | None = None,
        flip_unlabelled: bool = True,
    ) -> None:
        self.axis = check_choice("axis", axis, ("horizontal", "vertical"))
        if symmetric is not None and (
            isinstance(symmetric, str) or not all(isinstance(s, str) for s in symmetric)
        ):
            raise ConfigError("symmetric", "expected a list of labels")
        self.symmetric = None if symmetric is None else list(symmetric)
        if label_map is not None and not (
            isinstance(label_map, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in label_map.items())
        ):
            raise ConfigError("label_map", "expected a mapping of label to label")
        self.label_map = None if label_map is None else dict(label_map)
        self.flip_unlabelled = bool(flip_unlabelled)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        label = sample.label
        if label is None:
            return {"flip": self.flip_unlabelled, "label": None}
        if self.label_map and label in self.label_map:
            return {"flip": True, "label": self.label_map[label]}
        symmetric = _default_set(self.axis) if self.symmetric is None else self.symmetric
        return {"flip": label in symmetric, "label": label}

    def stage(self, params: Params, height: int, width: int) -> np.ndarray | None:
        if not params["flip"]:
            return None
        if self.axis == "horizontal":
            return np.array([[-1.0, 0.0, width - 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        return np.array([[1.0, 0.0, 0.0], [0.0, -1.0, height - 1.0], [0.0, 0.0, 1.0]])

    def apply(self, sample: ImageSample, params: Params) -> ImageSample:
        if not params["flip"]:
            return sample
        if sample.mask is None and sample.keypoints is None and sample.boxes is None:
            flipped = cv2.flip(sample.image, 1 if self.axis == "horizontal" else 0)
            return ImageSample(
                flipped.reshape(sample.image.shape), label=params["label"], extra=sample.extra
            )
        return super().apply(sample, params)

    def relabel(self, label: str | None, params: Params) -> str | None:
        return params["label"] if params["flip"] else label


@lru_cache(maxsize=2)
def _default_set(axis: str) -> frozenset[str]:
    return frozenset(HORIZONTAL_SYMMETRIC if axis == "horizontal" else VERTICAL_SYMMETRIC)
