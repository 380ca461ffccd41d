"""PNG bytes of an image, through OpenCV: several times faster than Pillow on small crops."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.errors import AugsynthError
from augment.images.pixels import from_float

_TO_BGR = {3: cv2.COLOR_RGB2BGR, 4: cv2.COLOR_RGBA2BGRA}


def encode_png(image: np.ndarray) -> bytes:
    """Lossless PNG of a grey, RGB or RGBA image (uint8, or float in [0, 1])."""
    image = from_float(image, np.uint8) if image.dtype != np.uint8 else image
    pixels = cv2.cvtColor(image, _TO_BGR[image.shape[2]]) if image.ndim == 3 else image
    ok, data = cv2.imencode(".png", pixels)
    if not ok:
        raise AugsynthError("PNG encoding failed")
    return data.tobytes()
