"""Contact sheets: look at a grid of examples before generating a million of them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from augment.images.pixels import from_float

CELL = 96
GAP = 4
TITLE_WIDTH = 120


def _to_rgb_uint8(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.dtype != np.uint8:
        array = from_float(array, np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return array[:, :, :3]


def _fit(image: np.ndarray, width: int, height: int) -> Image.Image:
    """Scale to fit the cell; nearest-neighbour for upscaling so small crops stay crisp."""
    pil = Image.fromarray(_to_rgb_uint8(image))
    scale = min(width / pil.width, height / pil.height)
    size = (max(1, round(pil.width * scale)), max(1, round(pil.height * scale)))
    resample = Image.Resampling.NEAREST if scale >= 1 else Image.Resampling.LANCZOS
    return pil.resize(size, resample)


def contact_sheet(
    rows: Sequence[Sequence[np.ndarray]],
    row_titles: Sequence[str] | None = None,
    cell_size: tuple[int, int] = (CELL, CELL),
) -> Image.Image:
    """A grid of images, one row per source (e.g. the original then its augmented copies)."""
    width, height = cell_size
    columns = max((len(r) for r in rows), default=1)
    left = TITLE_WIDTH if row_titles else 0
    sheet = Image.new(
        "RGB",
        (left + columns * (width + GAP) + GAP, len(rows) * (height + GAP) + GAP),
        (255, 255, 255),
    )
    draw = ImageDraw.Draw(sheet)
    for r, row in enumerate(rows):
        y = GAP + r * (height + GAP)
        if row_titles:
            draw.text((GAP, y + height // 2 - 6), row_titles[r][:18], fill=(0, 0, 0))
        for c, image in enumerate(row):
            cell = _fit(image, width, height)
            x = left + GAP + c * (width + GAP)
            sheet.paste(cell, (x + (width - cell.width) // 2, y + (height - cell.height) // 2))
    return sheet
