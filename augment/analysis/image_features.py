"""Fixed simple statistics of a character crop, for telling generated crops from real ones.

Every crop is first resized to 32x32 (area-averaged), so a statistic measures how the crop
looks, not how large the file is. The ink mask is an Otsu threshold of the grey image with
the background taken as the class that covers most of the border: text may be darker or
lighter than its ground, and may fill most of the crop.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from augment.core.errors import InputError

SIDE = 32
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})
IMAGE_STATISTICS = (
    "intensity",  # mean grey level
    "contrast",  # grey standard deviation
    "range",  # 95th minus 5th percentile of grey
    "colourfulness",  # mean spread between the RGB channels
    "sharpness",  # 99th percentile gradient over the range: steep edges for the contrast
    "noise",  # median |Laplacian| over the range: grain in flat areas
    "ink_contrast",  # |mean ink - mean background| from the ink mask
    "ink_fraction",
    "glyph_height",  # 5th-95th percentile extent of ink rows, over the side
    "glyph_width",
    "glyph_x",  # ink centroid, 0 = left edge, 1 = right
    "glyph_y",
)


def read_crop(path: Path) -> np.ndarray:
    """A crop as RGB float32 in [0, 1], SIDE x SIDE."""
    try:
        with Image.open(path) as opened:
            rgb = opened.convert("RGB").resize((SIDE, SIDE), Image.Resampling.BOX)
    except (OSError, ValueError) as err:
        raise InputError(str(path), f"cannot read image: {err}") from None
    return np.asarray(rgb, dtype=np.float32) / 255.0


def otsu_threshold(grey: np.ndarray) -> float:
    """The threshold maximising the between-class variance of a 64-bin histogram."""
    counts, edges = np.histogram(grey, bins=64, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    mass = np.cumsum(counts * centres)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        low_mean = mass / weight
        high_mean = (total_mass - mass) / (total - weight)
        between = weight * (total - weight) * (low_mean - high_mean) ** 2
    return float(edges[int(np.nanargmax(np.nan_to_num(between, nan=-1.0))) + 1])


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Pixels of the Otsu class that covers less of the border."""
    above = grey > otsu_threshold(grey)
    border = np.concatenate([above[0], above[-1], above[1:-1, 0], above[1:-1, -1]])
    return ~above if border.mean() > 0.5 else above


def crop_statistics(rgb: np.ndarray) -> np.ndarray:
    """The IMAGE_STATISTICS of one SIDE x SIDE RGB crop, in that order."""
    grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    low, high = np.percentile(grey, [5, 95])
    spread = max(float(high - low), 0.02)
    gy, gx = np.gradient(grey)
    laplacian = (
        -4 * grey[1:-1, 1:-1] + grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:]
    )
    ink = ink_mask(grey)
    extent: tuple[float, ...]  # (rows, columns)
    if ink.all() or not ink.any():
        ink_contrast, extent, centre = 0.0, (0.0, 0.0), (0.5, 0.5)
    else:
        ink_contrast = abs(float(grey[ink].mean() - grey[~ink].mean()))
        rows, cols = np.nonzero(ink)
        extent = tuple(float(np.ptp(np.percentile(v, [5, 95]))) / SIDE for v in (rows, cols))
        centre = ((cols.mean() + 0.5) / SIDE, (rows.mean() + 0.5) / SIDE)
    return np.array(
        [
            grey.mean(), grey.std(), high - low, (rgb.max(axis=2) - rgb.min(axis=2)).mean(),
            np.percentile(np.hypot(gx, gy), 99) / spread, np.median(np.abs(laplacian)) / spread,
            ink_contrast, ink.mean(), extent[0], extent[1], centre[0], centre[1],
        ],
        dtype=np.float64,
    )  # fmt: skip
