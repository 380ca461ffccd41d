"""PNG bytes of an image: rows Up-filtered by NumPy, compressed by libdeflate at level 1.

PNG encoding was the largest single cost of writing synthetic crops: OpenCV's encoder
(libpng with zlib at its fastest settings) took about 60 us for a 32x32 RGB crop. libdeflate's
fastest level takes about 25 us and writes files about 11% smaller; the PNG is lossless
either way, so decoded pixels are the same, though the file bytes differ from OpenCV's.
libdeflate's output is deterministic for a given libdeflate version.
"""

from __future__ import annotations

import functools
import struct
import zlib

import deflate
import numpy as np

from augment.core.errors import AugsynthError
from augment.images.pixels import from_float

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPES = {1: 0, 3: 2, 4: 6}  # channels -> PNG colour type: grey, RGB, RGBA
_UP = 2  # PNG filter type: each byte minus the byte above it
_LEVEL = 1  # libdeflate's fastest


def encode_png(image: np.ndarray) -> bytes:
    """Lossless 8-bit PNG of a grey, RGB or RGBA image (uint8, or float in [0, 1])."""
    image = from_float(image, np.uint8) if image.dtype != np.uint8 else image
    if image.ndim not in (2, 3):
        raise AugsynthError(f"PNG encoding takes grey, RGB or RGBA images, not {image.shape}")
    return encode_pngs(image[None])[0]


def encode_pngs(images: np.ndarray) -> list[bytes]:
    """`encode_png` of each image of a uint8 stack (n, H, W[, C]), filtered as one array."""
    channels = 1 if images.ndim == 3 else images.shape[3]
    if images.ndim not in (3, 4) or channels not in _COLOUR_TYPES or 0 in images.shape[1:3]:
        raise AugsynthError(f"PNG encoding takes grey, RGB or RGBA images, not {images.shape[1:]}")
    n, height, width = images.shape[:3]
    rows = images.reshape(n, height, width * channels)
    filtered = np.empty((n, height, width * channels + 1), np.uint8)
    filtered[:, :, 0] = _UP
    filtered[:, 0, 1:] = rows[:, 0]
    np.subtract(rows[:, 1:], rows[:, :-1], out=filtered[:, 1:, 1:])  # modulo 256: PNG's Up
    head = _head(width, height, _COLOUR_TYPES[channels])
    return [
        b"".join((head, *_chunk(b"IDAT", deflate.zlib_compress(image, _LEVEL)), _END))
        for image in filtered
    ]


@functools.lru_cache(maxsize=256)
def _head(width: int, height: int, colour_type: int) -> bytes:
    """The signature and the IHDR chunk of an 8-bit image."""
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return _SIGNATURE + b"".join(_chunk(b"IHDR", header))


def _chunk(kind: bytes, data: bytes | bytearray) -> tuple[bytes, bytes, bytes | bytearray, bytes]:
    """A PNG chunk's parts: length, type, data and the CRC-32 of type and data."""
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)), kind, data, struct.pack(">I", crc)


_END = b"".join(_chunk(b"IEND", b""))
