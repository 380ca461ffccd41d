"""Table look-up for uint8 images: the fast path of pointwise intensity transforms.

Uses StringZilla's byte translation: about twice as fast as OpenCV's LUT here.
"""

from __future__ import annotations

import numpy as np
import stringzilla


def apply_lut(image: np.ndarray, table: np.ndarray) -> np.ndarray:
    """A new uint8 image with every value v replaced by table[v] (table: 256 uint8)."""
    source = np.ascontiguousarray(image)
    out = np.empty_like(source)
    flat_in, flat_out = source.reshape(-1), out.reshape(-1)  # ndarrays are buffers
    stringzilla.translate(memoryview(flat_in), memoryview(table), out=memoryview(flat_out))  # type: ignore[arg-type]
    return out


RAMP = np.arange(256, dtype=np.float64)  # every uint8 value, for building tables
RAMP.setflags(write=False)


def table_from(values: np.ndarray) -> np.ndarray:
    """256 float values (in 0..255 units) rounded and clipped to a uint8 table."""
    v = values + 0.5
    np.minimum(v, 255.0, out=v)
    np.maximum(v, 0.0, out=v)
    return v.astype(np.uint8)
