"""Reading and encoding image files: what the dataset commands read and write.

Inputs decode to uint8 grey, RGB or RGBA whatever their mode, and a file that cannot be
decoded is an InputError naming it, so a long run reports it and goes on.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, UnidentifiedImageError

from augment.core.errors import InputError
from augment.images.encoding import encode_png
from augment.images.pixels import from_float

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"})
FORMATS = {"png": ("PNG", ".png"), "jpg": ("JPEG", ".jpg")}
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
            if pil.mode not in ("L", "RGB", "RGBA"):
                pil = pil.convert(_decoded_mode(pil))
            image = np.asarray(pil)
    except UnidentifiedImageError:
        raise InputError(name, "cannot decode image (not a known image format)") from None
    except (OSError, ValueError, SyntaxError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(name, f"cannot decode image ({reason})") from None
    if image.size == 0:
        raise InputError(name, "empty image")
    return np.ascontiguousarray(image)


def _decoded_mode(pil: Image.Image) -> str:
    """Palette, bilevel, 16-bit and other modes become L, RGB or RGBA."""
    if "A" in pil.getbands() or "transparency" in pil.info:
        return "RGBA"
    return "L" if pil.mode in ("1", "I", "I;16", "F", "LA") else "RGB"


def encode_image(image: np.ndarray, file_format: str) -> bytes:
    """PNG (lossless, keeps alpha) or JPEG (alpha dropped) bytes."""
    if file_format == "png":
        return encode_png(image)
    pixels = image if image.dtype == np.uint8 else from_float(image, np.uint8)
    if pixels.ndim == 3 and pixels.shape[2] == 4:
        pixels = pixels[:, :, :3]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()
