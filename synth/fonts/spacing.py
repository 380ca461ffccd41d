"""Advance widths and pair kerning in em, from HarfBuzz shaping of the font file.

Neighbours are placed where the font would set them, which needs the kerning of every
(neighbour, character) pair a run draws: tens of thousands of distinct pairs. Shaping a
pair through Pillow's layout engine costs 20-70 us; a HarfBuzz font kept open per file
shapes it in about 3 us, with the same result (the same shaper, in font units instead of
hinted pixels).
"""

from __future__ import annotations

import functools
from pathlib import Path

import uharfbuzz as hb

from augment.core.errors import InputError

# Glyphs are drawn one by one, so a ligature (fi, ffl) must not stand in for a pair.
FEATURES = {"liga": False, "clig": False, "dlig": False}


@functools.lru_cache(maxsize=256)
def _shaper(path: Path) -> tuple[hb.Font, float]:
    """The HarfBuzz font of `path` at its design scale, and 1 / units per em."""
    try:
        face = hb.Face(hb.Blob.from_file_path(str(path)))
    except Exception as err:  # uharfbuzz raises plain Exceptions for unreadable files
        raise InputError(str(path), f"HarfBuzz cannot load the font ({err})") from None
    if face.glyph_count == 0:  # HarfBuzz reads a damaged file as an empty face
        raise InputError(str(path), "HarfBuzz finds no glyphs in the font")
    return hb.Font(face), 1.0 / face.upem


def _length_em(path: Path, text: str) -> float:
    font, per_unit = _shaper(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, FEATURES)
    return sum(position.x_advance for position in buffer.glyph_positions) * per_unit


@functools.lru_cache(maxsize=65536)
def advance_em(path: Path, char: str) -> float:
    """How far the pen moves after `char`, in em."""
    return _length_em(path, char)


@functools.lru_cache(maxsize=262144)
def kerning_em(path: Path, first: str, second: str) -> float:
    """Extra pen shift between two characters in em (negative pulls them together)."""
    return _length_em(path, first + second) - advance_em(path, first) - advance_em(path, second)
