"""JPEG artefacts: blocks, ringing and colour bleeding.

Encoded by OpenCV, decoded by simplejpeg: both are libjpeg-turbo with its default
(accurate) IDCT and chroma upsampling, so the pixels are the same, but OpenCV's bundled
decoder takes about 2.5 times as long on colour images exactly 32 (or 48) pixels wide, the
default crop size (18 against 7.5 us a 32x32 crop; the stall is inside its SIMD upsampling).
"""

from __future__ import annotations

import cv2
import numpy as np
import simplejpeg

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
        quality = int(params["quality"])

        def compress(colour: np.ndarray) -> np.ndarray:
            pixels = colour if colour.dtype == np.uint8 else from_float(colour, np.uint8)
            colour_image = pixels.ndim == 3 and pixels.shape[2] == 3
            if colour_image:  # OpenCV encodes BGR: chroma subsampling must see true colours
                pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
            decoded = np.empty(colour.shape, np.uint8)
            _round_trip(pixels, quality, decoded, colour_image)
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
        out = np.empty(images.shape, np.uint8)
        for i, p in enumerate(params):
            _round_trip(images[i], p["quality"], out[i], colour)
        return out


def _round_trip(pixels: np.ndarray, quality: int, out: np.ndarray, colour: bool) -> None:
    """`pixels` (uint8 BGR, or grey) encoded at `quality` and decoded into `out` (RGB, or
    grey; contiguous, the same height and width)."""
    ok, data = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    simplejpeg.decode_jpeg(data, colorspace="RGB" if colour else "GRAY", buffer=out)
