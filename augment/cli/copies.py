"""The body `augment images` and `augment audio` share: N augmented copies of every input,
the run, the preview. The two commands differ only in their `Medium` and pipeline flags."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from augment.analysis.aim import (
    Aim,
    aimed,
    class_counts,
    histogram_lines,
    reasons_line,
    write_histogram,
)
from augment.analysis.focus import Task
from augment.analysis.reasons import ReasonMaker
from augment.cli.common import (
    fail,
    layout_option,
    part_option,
    run_with_progress,
    shows_preview,
    user_errors,
)
from augment.core.combinators import Sequence as Steps
from augment.core.registry import dump_pipeline
from augment.core.transform import Transform
from augment.dataset.copy_tasks import CopyTasks
from augment.dataset.readers import list_inputs
from augment.dataset.writer import Run
from augment.preview import CopyMaker, copies_grid, write_preview


@dataclass(frozen=True)
class Medium:
    """What a copies command reads, makes and previews."""

    command: str  # its name, as run.json records it
    extensions: frozenset[str]  # input files it reads
    formats: tuple[str, ...]  # --format choices
    maker: Callable[[Transform, str], CopyMaker]  # (pipeline, format) -> its maker
    picture: Callable[[Any], np.ndarray]  # what the preview shows of a sample
    cell_size: tuple[int, int]  # preview cell
    max_copies: int  # copies shown per preview row
    transcripts: bool = False  # same-stem .txt files are transcripts


@dataclass(frozen=True)
class CopiesOptions:
    """The options every copies command takes."""

    in_dir: Path
    out: Path
    copies: int
    file_format: str
    seed: int
    workers: int
    preview: int
    shards: int | None
    aim: Aim = field(default_factory=Aim)  # --focus / --balance
    shard: str | None = None  # --shard I/N


def run_copies(
    medium: Medium, options: CopiesOptions, build_pipeline: Callable[[], Transform]
) -> None:
    """Write `copies` augmented copies of every input (copy k of input j is task
    j * copies + k), or as many aimed by --focus, or more for --balance. The command record
    names the inputs, pipeline and options, so a rerun of the same command resumes and a
    different one is refused."""
    if options.file_format not in medium.formats:
        fail(f"--format: expected one of {', '.join(medium.formats)}, got {options.file_format!r}")
    with user_errors():
        pipeline = as_steps(build_pipeline())
        inputs = list_inputs(
            options.in_dir, medium.extensions, transcripts=medium.transcripts, skip=options.out
        )
        maker = medium.maker(pipeline, options.file_format)
        _say_dropped(inputs, getattr(maker, "dropped_columns", frozenset()))
        plain = CopyTasks(inputs, options.copies)
        tasks, aim_record = aimed(options.aim, plain, inputs, "label", options.seed)
        command = {
            "name": medium.command,
            "in_dir": str(options.in_dir.resolve()),
            "pipeline": dump_pipeline(pipeline),
            "copies": options.copies,
            "format": options.file_format,
        } | aim_record
        run = Run(command, options.seed, options.workers, part_option(options.shard))
        layout = layout_option(options.shards)
        made = ReasonMaker(maker) if options.aim.active else maker
        run_with_progress(
            options.out, tasks, made, run=run, layout=layout, description=medium.command
        )
        report_aim(options, plain, tasks)
        if options.preview and shows_preview(run):
            copies = 1 if options.aim.active else options.copies  # aimed tasks stand alone
            grid, titles = copies_grid(
                tasks, copies, options.preview, maker, medium.picture, options.seed,
                medium.max_copies,
            )  # fmt: skip
            print(f"preview: {write_preview(options.out, grid, titles, medium.cell_size)}")


def as_steps(pipeline: Transform) -> Transform:
    """The pipeline as a Sequence, so every manifest row's params read {"steps": [...]}
    whether one step or several was asked for (the same draws and pixels)."""
    return pipeline if type(pipeline) is Steps else Steps([pipeline])


def _say_dropped(inputs: Sequence[Task], dropped: frozenset[str]) -> None:
    """Name the input columns the copies leave out (positions the pipeline moves)."""
    named = sorted({c for entry in inputs for c in entry.get("columns", {})} & dropped)
    if named:
        print(
            f"note: column {', '.join(named)} gives positions this pipeline moves; "
            "left out of the copies' rows",
            file=sys.stderr,
        )


def report_aim(options: CopiesOptions, plain: Sequence[Task], tasks: Sequence[Task]) -> None:
    """What --focus or --balance did: examples per reason; for --balance, the class
    histogram before and after, printed and drawn."""
    if not options.aim.active:
        return
    print(reasons_line(tasks))
    if options.aim.balance:
        before, after = class_counts(plain), class_counts(tasks)
        print("\n".join(histogram_lines(before, after)))
        print(f"class histogram: {write_histogram(options.out, before, after)}")
