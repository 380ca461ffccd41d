"""The contact sheet: a grid of pictures with column headers, row titles and captions.

Every command's OUT/preview.png is one (`write_preview`); `augment compare` draws its
real-beside-generated sheet with `contact_sheet` too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from augment.images.pixels import from_float
from augment.preview.cells import Preview

PREVIEW_NAME = "preview.png"
CELL = 96
GAP = 4
TITLE_WIDTH = 120
LINE = 12  # caption and header line height
FONT_SIZE = 10
Captions = Sequence[Sequence[Sequence[str]]]  # per row, per cell, its lines


def write_preview(out: Path, preview: Preview) -> Path:
    """OUT/preview.png: the preview as a contact sheet; returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / PREVIEW_NAME
    rows = [[cell.picture for cell in row] for row in preview.rows]
    captions = [[cell.caption for cell in row] for row in preview.rows]
    sheet = contact_sheet(rows, preview.row_titles, preview.cell_size, preview.headers, captions)
    sheet.save(path)
    return path


def contact_sheet(
    rows: Sequence[Sequence[np.ndarray]],
    row_titles: Sequence[str] | None = None,
    cell_size: tuple[int, int] = (CELL, CELL),
    headers: Sequence[str] | None = None,
    captions: Captions | None = None,
) -> Image.Image:
    """A grid of images, one row per source (e.g. the original then its augmented copies),
    `headers` above the columns and `captions` (lines of text) under each cell."""
    width, height = cell_size
    columns = max((len(r) for r in rows), default=1)
    left = TITLE_WIDTH if row_titles else 0
    top = LINE + GAP if headers else 0
    lines = max((len(c) for row in captions or [] for c in row), default=0)
    row_height = height + lines * LINE + GAP
    sheet = Image.new(
        "RGB", (left + columns * (width + GAP) + GAP, top + len(rows) * row_height + GAP), "white"
    )
    draw = ImageDraw.Draw(sheet)
    for c, header in enumerate(headers or []):
        _text(draw, header, (left + GAP + c * (width + GAP), GAP), width)
    for r, row in enumerate(rows):
        y = top + GAP + r * row_height
        if row_titles:
            draw.text((GAP, y + height // 2 - 6), row_titles[r][:18], fill=(0, 0, 0))
        for c, image in enumerate(row):
            cell = _fit(image, width, height)
            x = left + GAP + c * (width + GAP)
            sheet.paste(cell, (x + (width - cell.width) // 2, y + (height - cell.height) // 2))
            for k, line in enumerate(captions[r][c] if captions else ()):
                _text(draw, line, (x, y + height + k * LINE), width)
    return sheet


def _text(draw: ImageDraw.ImageDraw, text: str, at: tuple[int, int], width: int) -> None:
    """One line, cut with an ellipsis where it would run into the next cell."""
    font = ImageFont.load_default(FONT_SIZE)
    while len(text) > 1 and draw.textlength(text, font=font) > width:
        text = text[:-2] + "…"
    draw.text(at, text, fill=(0, 0, 0), font=font)


def to_rgb_uint8(image: np.ndarray) -> np.ndarray:
    """Any picture (grey, RGB(A), float or 16-bit) as an RGB uint8 array."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        array = from_float(array, np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return array[:, :, :3]


def _fit(image: np.ndarray, width: int, height: int) -> Image.Image:
    """Scale to fit the cell; nearest-neighbour for upscaling so small crops stay crisp."""
    pil = Image.fromarray(to_rgb_uint8(image))
    scale = min(width / pil.width, height / pil.height)
    size = (max(1, round(pil.width * scale)), max(1, round(pil.height * scale)))
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.LANCZOS
    return pil.resize(size, resample)
