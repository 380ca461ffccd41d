"""What `augment images` and `augment audio` share: N copies of each input, the run, the preview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from augment.cli.common import run_with_progress
from augment.core.errors import InputError
from augment.core.registry import dump_pipeline
from augment.core.seeding import example_rng
from augment.core.transform import Transform
from augment.dataset.example import ExampleMaker
from augment.dataset.preview import contact_sheet


def run_copies(
    *,
    name: str,
    in_dir: Path,
    out: Path,
    inputs: list[dict[str, Any]],
    copies: int,
    pipeline: Transform,
    maker: ExampleMaker,
    options: dict[str, Any],
    seed: int,
    workers: int,
    shards: int | None,
) -> list[dict[str, Any]]:
    """Write `copies` augmented copies of every input; returns the tasks (copy k of input j
    is task j * copies + k). The command record names the inputs, pipeline and options, so a
    rerun of the same command resumes and a different one is refused; `shards` is --shards."""
    tasks = [entry | {"copy": k} for entry in inputs for k in range(copies)]
    command = {
        "name": name,
        "in_dir": str(in_dir.resolve()),
        "pipeline": dump_pipeline(pipeline),
        "copies": copies,
        **options,
    }
    run_with_progress(
        out, tasks, maker, seed=seed, workers=workers, command=command, description=name,
        shards=shards,
    )  # fmt: skip
    return tasks


def write_preview(
    out: Path,
    tasks: list[dict[str, Any]],
    copies: int,
    rows: int,
    *,
    original: Callable[[dict[str, Any]], np.ndarray],
    augmented: Callable[[dict[str, Any], np.random.Generator], np.ndarray],
    seed: int,
    cell_size: tuple[int, int] = (96, 96),
    max_copies: int = 6,
) -> Path:
    """OUT/preview.png: per input, its picture beside those of its first augmented copies.

    Copies are remade from their (seed, index) generators, so they are the written ones.
    """
    grid, titles = [], []
    for first in range(0, len(tasks), copies):
        if len(grid) == rows:
            break
        task = tasks[first]
        try:
            cells = [original(task)]
        except InputError:
            continue
        for k in range(min(copies, max_copies)):
            cells.append(augmented(tasks[first + k], example_rng(seed, first + k)))
        grid.append(cells)
        source = Path(task["source"]).name
        titles.append(f"{task['label']}: {source}" if task.get("label") else source)
    path = out / "preview.png"
    contact_sheet(grid, titles, cell_size=cell_size).save(path)
    return path
