"""Previews: look at a grid of examples (or spectrograms) before generating a million.

Every command writes OUT/preview.png through `write_preview`; the grids come from
`copies_grid` (an input beside its augmented copies) or `examples_grid` (the first
examples of a run, decoded from the bytes it writes). Pictures are always remade from the
examples' (seed, index) generators, so they show what the run writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from PIL import Image, ImageDraw

from augment.core.errors import InputError
from augment.core.seeding import example_rng
from augment.dataset.example import ExampleMaker
from augment.images.io import decode_image
from augment.images.pixels import from_float

PREVIEW_NAME = "preview.png"
CELL = 96
GAP = 4
TITLE_WIDTH = 120
Grid = list[list[np.ndarray]]


class CopyMaker(ExampleMaker, Protocol):
    """An example maker of augmented copies that also hands over its input and its copy as
    samples, for previews that show what a file cannot (e.g. a spectrogram)."""

    def source(self, task: dict[str, Any]) -> Any: ...

    def augment(self, task: dict[str, Any], rng: np.random.Generator) -> tuple[Any, dict]: ...


def write_preview(
    out: Path,
    grid: Sequence[Sequence[np.ndarray]],
    titles: Sequence[str] | None = None,
    cell_size: tuple[int, int] = (CELL, CELL),
) -> Path:
    """OUT/preview.png: the grid as a contact sheet; returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / PREVIEW_NAME
    contact_sheet(grid, titles, cell_size=cell_size).save(path)
    return path


def copies_grid(
    tasks: Sequence[dict[str, Any]],
    copies: int,
    count: int,
    maker: CopyMaker,
    picture: Callable[[Any], np.ndarray],
    seed: int,
    max_copies: int,
) -> tuple[Grid, list[str]]:
    """Per input (up to `count`), its picture beside those of its first copies, and a title.

    Copy k of input j is task j * copies + k; an input that cannot be read is left out.
    """
    grid: Grid = []
    titles: list[str] = []
    for first in range(0, len(tasks), copies):
        if len(grid) == count:
            break
        task = tasks[first]
        try:
            cells = [picture(maker.source(task))]
        except InputError:
            continue
        for k in range(min(copies, max_copies)):
            cells.append(picture(maker.augment(tasks[first + k], example_rng(seed, first + k))[0]))
        grid.append(cells)
        source = Path(task["source"]).name
        titles.append(f"{task['label']}: {source}" if task.get("label") else source)
    return grid, titles


def examples_grid(
    tasks: Sequence[dict[str, Any]], maker: ExampleMaker, seed: int, count: int, per_row: int
) -> Grid:
    """The run's first `count` image examples, decoded from their bytes, `per_row` a row."""
    pictures = [
        decode_image(maker.make(tasks[i], example_rng(seed, i)).data, f"example {i}")
        for i in range(min(count, len(tasks)))
    ]
    return [pictures[i : i + per_row] for i in range(0, len(pictures), per_row)]


def spectrogram(sample: Any) -> np.ndarray:
    """A log-magnitude spectrogram image of an AudioSample (uint8, low frequencies at the
    bottom), so speech previews are read like image previews."""
    x = sample.waveform if sample.waveform.ndim == 1 else sample.waveform.mean(axis=0)
    n_fft = 512 if sample.sample_rate >= 16000 else 256
    hop = n_fft // 4
    frames = max(1, 1 + (x.size - n_fft) // hop)
    x = np.pad(x, (0, max(0, n_fft - x.size)))
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    mag = np.abs(np.fft.rfft(x[idx] * np.hanning(n_fft), axis=1)).T
    db = 20 * np.log10(mag + 1e-9)
    db = np.clip((db - (db.max() - 80.0)) / 80.0, 0.0, 1.0)
    return (db[::-1] * 255).astype(np.uint8)


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
