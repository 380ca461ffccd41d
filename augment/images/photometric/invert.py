"""Swap dark-on-light and light-on-dark."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.registry import register
from augment.core.transform import Params
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only


@register
class Invert(PhotometricTransform):
    """Invert intensities (x -> 1 - x): dark text on light ground becomes light on dark.

    Realistic where the test set has both polarities (signs, screens, licence plates,
    negative scans). Deterministic: wrap in Maybe(p=...) to invert only some examples.
    """

    def __init__(self) -> None:
        """No parameters: how often to invert is a Maybe's p."""

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        def invert(colour: np.ndarray) -> np.ndarray:
            if colour.dtype == np.uint8:
                return cv2.bitwise_not(colour).reshape(colour.shape)
            return (1.0 - colour).astype(colour.dtype)

        return colour_only(image, invert)
