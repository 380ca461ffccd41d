"""JPEG artefacts: blocks, ringing and colour bleeding."""

from __future__ import annotations

import cv2
import numpy as np

from augment.core.registry import register
from augment.core.sample import ImageSample
from augment.core.transform import Params
from augment.core.validation import as_range
from augment.images.photometric.base import PhotometricTransform
from augment.images.pixels import colour_only, from_float, to_float


@register
class JpegCompression(PhotometricTransform):
    """Encode as JPEG at a quality drawn from `quality` and decode again.

    Realistic for anything that passed through the web, messaging apps or phone
    cameras: 8x8 blocks, ringing around strokes and chroma bleeding at low quality.

    quality: [low, high] JPEG quality, 1-100 (drawn as a whole number).
    """

    def __init__(self, quality: float | tuple[float, float] = (30, 90)) -> None:
        self.quality = as_range("quality", quality, 1, 100)

    def draw_params(self, rng: np.random.Generator, sample: ImageSample) -> Params:
        low, high = int(self.quality[0]), int(self.quality[1])
        return {"quality": low + int(rng.random() * (high - low + 1))}

    def transform_image(self, image: np.ndarray, params: Params) -> np.ndarray:
        flags = [cv2.IMWRITE_JPEG_QUALITY, int(params["quality"])]

        def compress(colour: np.ndarray) -> np.ndarray:
            pixels = colour if colour.dtype == np.uint8 else from_float(colour, np.uint8)
            colour_image = pixels.ndim == 3 and pixels.shape[2] == 3
            if colour_image:  # OpenCV encodes BGR: chroma subsampling must see true colours
                pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
            ok, data = cv2.imencode(".jpg", pixels, flags)
            if not ok:
                raise RuntimeError("OpenCV could not encode a JPEG")
            read_mode = cv2.IMREAD_COLOR_RGB if colour_image else cv2.IMREAD_UNCHANGED
            decoded = cv2.imdecode(data, read_mode)
            if decoded is None:
                raise RuntimeError("OpenCV could not decode the JPEG it encoded")
            decoded = decoded.reshape(colour.shape)
            return decoded if colour.dtype == np.uint8 else to_float(decoded).astype(colour.dtype)

        return colour_only(image, compress)

    def transform_batch(self, images: np.ndarray, params: list[Params]) -> np.ndarray:
        """A uint8 stack round-trips crop by crop into one output, its colour order swapped
        for the encoder once for the stack (the same bytes as `transform_image`)."""
        colour = images.ndim == 4 and images.shape[3] == 3
        if images.dtype != np.uint8 or not (colour or images.ndim == 3):
            return super().transform_batch(images, params)
        if colour:  # OpenCV encodes BGR: chroma subsampling must see true colours
            rows = np.ascontiguousarray(images).reshape(-1, images.shape[2], 3)
            images = cv2.cvtColor(rows, cv2.COLOR_RGB2BGR).reshape(images.shape)
        read_mode = cv2.IMREAD_COLOR_RGB if colour else cv2.IMREAD_UNCHANGED
        out = np.empty(images.shape, np.uint8)
        for i, p in enumerate(params):
            ok, data = cv2.imencode(".jpg", images[i], [cv2.IMWRITE_JPEG_QUALITY, p["quality"]])
            decoded = cv2.imdecode(data, read_mode) if ok else None
            if decoded is None:
                raise RuntimeError("OpenCV could not encode and decode a JPEG")
            out[i] = decoded
        return out
