"""Read a GIMP pattern (.pat), the format of GIMP's stock surface textures (wood, stone...).

A .pat file is a big-endian header (header size, version, width, height, bytes per pixel,
the magic `GPAT`, a UTF-8 name) followed by width x height pixels of 1-4 bytes (grey,
grey + alpha, RGB, RGBA). Pillow reads GIMP brushes but not patterns, and the format is
this small.
"""

from __future__ import annotations

import struct

import numpy as np
from PIL import Image

from augment.core.errors import InputError

MAGIC = b"GPAT"
HEADER = struct.Struct(">5I4s")
MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def read_pattern(data: bytes, name: str) -> Image.Image:
    """The pattern as an RGB image; a damaged file raises InputError naming it (`name`)."""
    if len(data) < HEADER.size:
        raise InputError(name, "not a GIMP pattern (too short)")
    header_size, _version, width, height, depth, magic = HEADER.unpack_from(data)
    if magic != MAGIC or depth not in MODES or header_size < HEADER.size:
        raise InputError(name, "not a GIMP pattern (no GPAT header)")
    pixels = data[header_size : header_size + width * height * depth]
    if width == 0 or height == 0 or len(pixels) != width * height * depth:
        raise InputError(name, f"GIMP pattern cut short ({width}x{height}x{depth} declared)")
    array = np.frombuffer(pixels, np.uint8).reshape(height, width, depth)
    image = Image.fromarray(array[:, :, 0] if depth == 1 else array, MODES[depth])
    return image.convert("RGB")
