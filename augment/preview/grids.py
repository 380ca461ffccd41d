"""The previews of a run: an input beside its augmented copies, or a run's first examples.

Every shown example is made by the run's own maker with its (seed, index) generator and
decoded from the bytes the run writes, so a preview shows what the dataset holds; its
caption is read from the manifest row the run records for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from augment.core.errors import InputError
from augment.core.seeding import example_rng
from augment.core.transform import Transform
from augment.dataset.example import ExampleMaker
from augment.images.io import decode_image
from augment.preview.captions import caption_lines, label_lines
from augment.preview.cells import Cell, Preview
from augment.preview.media import decode_example, encode_original
from augment.preview.overlays import with_targets
from augment.preview.size import Stored, stored_bytes, stored_row

Task = dict[str, Any]


class CopyMaker(ExampleMaker, Protocol):
    """An example maker of augmented copies that also hands over its input as a sample and
    its pipeline (which names the steps a copy's params record)."""

    pipeline: Transform

    def source(self, task: Task) -> Any: ...


class Shown(Protocol):
    """How a medium is shown: the picture of a sample, the cell, copies per row."""

    @property
    def picture(self) -> Callable[[Any], np.ndarray]: ...
    @property
    def cell_size(self) -> tuple[int, int]: ...
    @property
    def max_copies(self) -> int: ...


def copies_grid(
    tasks: Sequence[Task], copies: int, count: int, maker: CopyMaker, shown: Shown, seed: int
) -> Preview:
    """Per input (up to `count`), the input beside its first copies, each captioned with
    its drawn params. Copy k of input j is task j * copies + k; an input that cannot be
    read is left out."""
    shown_copies = min(copies, shown.max_copies)
    preview = Preview([], [], _headers(shown_copies), shown.cell_size)
    for first in range(0, len(tasks), copies):
        if len(preview.rows) == count:
            break
        try:
            original = maker.source(tasks[first])
            made = [_copy(tasks, first + k, maker, shown, seed) for k in range(shown_copies)]
        except InputError:
            continue
        media, suffix = encode_original(original)
        picture = _with_targets(shown.picture(original), tasks[first].get("columns"), maker, shown)
        preview.rows.append([Cell(picture, ("original",), media, suffix)])
        preview.rows[-1] += [cell for cell, _ in made]
        preview.stored += [stored for _, stored in made]
        preview.row_titles = [*(preview.row_titles or []), _title(tasks[first])]
    return preview


def examples_grid(
    tasks: Sequence[Task], maker: ExampleMaker, seed: int, count: int, per_row: int
) -> Preview:
    """The run's first `count` image examples, `per_row` a row, each with its label."""
    cells = []
    preview = Preview([])
    for i in range(min(count, len(tasks))):
        example = maker.make(tasks[i], example_rng(seed, i))
        row = stored_row(i, example, seed)
        preview.stored.append(stored_bytes(row, example))
        picture = decode_image(example.data, f"example {i}")
        cells.append(Cell(picture, tuple(label_lines(row)), example.data, example.suffix))
    preview.rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    return preview


def _copy(
    tasks: Sequence[Task], index: int, maker: CopyMaker, shown: Shown, seed: int
) -> tuple[Cell, Stored]:
    """Copy `index` as the run makes and records it, and the bytes it adds to the run."""
    example = maker.make(tasks[index], example_rng(seed, index))
    row = stored_row(index, example, seed)
    picture = shown.picture(decode_example(example, f"example {index}"))
    picture = _with_targets(picture, example.columns, maker, shown)
    caption = tuple(caption_lines(row, maker.pipeline))
    return Cell(picture, caption, example.data, example.suffix), stored_bytes(row, example)


def _with_targets(
    picture: np.ndarray, columns: dict[str, Any] | None, maker: CopyMaker, shown: Shown
) -> np.ndarray:
    """The picture with its boxes, polygons and keypoints drawn, for a maker that moves
    them (`augment images` with boxes); else the picture as it is."""
    targets = getattr(maker, "targets", None)
    if targets is None or not columns:
        return picture
    return with_targets(picture, columns, targets.bbox_format, shown.cell_size[0])


def _headers(copies: int) -> list[str]:
    return ["original"] + (["copy"] if copies == 1 else [f"copy {k + 1}" for k in range(copies)])


def _title(task: Task) -> str:
    source = Path(task["source"]).name
    return f"{task['label']}: {source}" if task.get("label") else source
