"""Reading and encoding image files: what the dataset commands read and write.

Inputs decode to uint8 grey, RGB or RGBA, or to float32 in [0, 1] where the file holds more
than 8 bits (16-bit PNG/TIFF scaled, float TIFF checked), turned as their EXIF orientation
says (as every viewer shows them). A file that cannot be decoded, or holds values with no
obvious meaning, is an InputError naming it, so a long run reports it and goes on.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from augment.core.errors import InputError
from augment.images.encoding import encode_png
from augment.images.image_checks import ImageFormatError, checked_image
from augment.images.pixels import from_float

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"})
FORMATS = {
    "png": ("PNG", ".png"),
    "jpg": ("JPEG", ".jpg"),
    "jpeg": ("JPEG", ".jpg"),
    "webp": ("WEBP", ".webp"),
}
JPEG_QUALITY = 95


def read_image(path: str | Path) -> np.ndarray:
    """Decode to uint8 (H, W), (H, W, 3) or (H, W, 4); InputError for unreadable files."""
    return _decode(path, str(path))


def decode_image(data: bytes, name: str) -> np.ndarray:
    """`read_image` of encoded bytes (e.g. an example as written); `name` for errors."""
    return _decode(io.BytesIO(data), name)


def _decode(file: str | Path | BinaryIO, name: str) -> np.ndarray:
    try:
        with Image.open(file) as pil:
            pil.load()
            image = _pixels(ImageOps.exif_transpose(pil))
    except UnidentifiedImageError:
        raise InputError(name, "cannot decode image (not a known image format)") from None
    except Image.DecompressionBombError as err:
        raise InputError(name, f"too many pixels to decode safely ({err})") from None
    except (OSError, ValueError, SyntaxError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(name, f"cannot decode image ({reason})") from None
    if image.size == 0:
        raise InputError(name, "empty image")
    try:
        return np.ascontiguousarray(checked_image(image, name))
    except ImageFormatError as err:
        raise InputError(name, str(err).removeprefix(f"{name}: ")) from None


def _pixels(pil: Image.Image) -> np.ndarray:
    """8-bit modes as they are; 16-bit and 32-bit integer grey as uint16 (the boundary scales
    it); float grey as float32 (the boundary checks its range); other modes converted."""
    if pil.mode in ("L", "RGB", "RGBA", "F"):
        return np.asarray(pil)
    if pil.mode.startswith("I;16"):
        return np.asarray(pil).astype(np.uint16)
    if pil.mode == "I":
        values = np.asarray(pil)
        if values.min() < 0 or values.max() > 65535:
            raise ValueError("32-bit integer pixels beyond the 16-bit range")
        return values.astype(np.uint16)
    return np.asarray(pil.convert(_decoded_mode(pil)))


def _decoded_mode(pil: Image.Image) -> str:
    """Palette, bilevel, 16-bit and other modes become L, RGB or RGBA."""
    if "A" in pil.getbands() or "transparency" in pil.info:
        return "RGBA"
    return "L" if pil.mode in ("1", "LA") else "RGB"


def encode_image(image: np.ndarray, file_format: str) -> bytes:
    """PNG or WebP (both lossless, keep alpha) or JPEG (quality 95, alpha dropped) bytes."""
    if file_format == "png":
        return encode_png(image)
    pixels = image if image.dtype == np.uint8 else from_float(image, np.uint8)
    container = FORMATS[file_format][0]
    if container == "JPEG" and pixels.ndim == 3 and pixels.shape[2] == 4:
        pixels = pixels[:, :, :3]
    buffer = io.BytesIO()
    if container == "WEBP":  # lossless: the copy's pixels exactly, smaller than PNG
        Image.fromarray(pixels).save(buffer, format="WEBP", lossless=True, quality=100)
    else:
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()
