"""The body `augment images` and `augment audio` share: N augmented copies of every input,
the run, the preview. The two commands differ only in their `Medium` and pipeline flags."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

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
    executor_option,
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
from augment.dataset.hf_inputs import read_hub_dataset
from augment.dataset.layouts import Layout
from augment.dataset.readers import input_entry, list_inputs
from augment.dataset.writer import Run
from augment.preview import CopyMaker, Preview, copies_grid, dry_run, write_outputs

DRY_RUN_ROWS = 4  # inputs a --dry-run previews when --preview does not say

InOpt = Annotated[
    Path | None,
    typer.Argument(
        metavar="IN_DIR",
        help="Class folders, a folder with labels.csv/metadata.jsonl, one file, a CSV (path[,"
        "label,...]) or TXT list of paths, or a Hugging Face dataset saved with save_to_disk.",
        show_default=False,
    ),
]
HfDatasetOpt = Annotated[
    str | None,
    typer.Option(
        "--hf-dataset",
        metavar="NAME[:SPLIT]",
        help="A Hugging Face Hub dataset as input, in place of IN (needs the datasets library "
        "and the network; split train if not given).",
    ),
]


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
    kind: str = "image"  # the column a Hugging Face dataset's copies are made of


@dataclass(frozen=True)
class CopiesOptions:
    """The options every copies command takes."""

    in_dir: Path | None  # a folder, a file, a CSV/TXT list or a saved dataset
    out: Path
    copies: int
    file_format: str
    seed: int
    workers: int
    preview: int
    shards: int | None
    aim: Aim = field(default_factory=Aim)  # --focus / --balance
    preview_html: bool = False
    dry_run: bool = False
    inputs: list[Task] | None = None  # entries read otherwise (boxes); None: list_inputs
    layout: Layout | None = None  # another layout than --shards asks for (coco, yolo)
    record: dict[str, Any] = field(default_factory=dict)  # more options for run.json
    hf_dataset: str | None = None  # --hf-dataset NAME[:split], in place of in_dir
    executor: str = "local"  # --executor
    scheduler: str | None = None  # --scheduler
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
        inputs = options.inputs if options.inputs is not None else read_inputs(medium, options)
        maker = medium.maker(pipeline, options.file_format)
        _say_dropped(inputs, getattr(maker, "dropped_columns", frozenset()))
        plain = CopyTasks(inputs, options.copies)
        tasks, aim_record = aimed(options.aim, plain, inputs, "label", options.seed)
        command = {
            "name": medium.command,
            **input_record(options),
            "pipeline": dump_pipeline(pipeline),
            "copies": options.copies,
            "format": options.file_format,
        } | aim_record
        command |= options.record
        layout = options.layout or layout_option(options.shards)
        if options.dry_run:
            show = partial(_preview, medium, options, tasks, maker)
            dry = Run(command, options.seed, options.workers)
            print(dry_run(options.out, tasks, dry, layout, show))
            return
        shared = (options.in_dir, options.out)
        engine = executor_option(options.executor, options.scheduler, shared)
        part = part_option(options.shard)
        run = Run(command, options.seed, options.workers, part, engine)
        made = ReasonMaker(maker) if options.aim.active else maker
        run_with_progress(
            options.out, tasks, made, run=run, layout=layout, description=medium.command
        )
        report_aim(options, plain, tasks)
        if options.preview and shows_preview(run):
            _preview(medium, options, tasks, maker)


def _preview(
    medium: Medium, options: CopiesOptions, tasks: Sequence[Task], maker: CopyMaker
) -> Preview:
    """Write the preview (--preview rows, or a few for --dry-run) and say where it went."""
    copies = 1 if options.aim.active else options.copies  # aimed tasks stand alone
    rows = options.preview or DRY_RUN_ROWS
    preview = copies_grid(tasks, copies, rows, maker, medium, options.seed)
    for path in write_outputs(options.out, preview, options.preview_html):
        print(f"preview: {path}")
    return preview


def read_inputs(medium: Medium, options: CopiesOptions) -> list[Task]:
    """The input entries of IN, or of the Hub dataset --hf-dataset names (one, not both)."""
    if (options.in_dir is None) == (options.hf_dataset is None):
        fail("give IN (a folder, a file, a CSV/TXT list of paths or a saved Hugging Face "
             "dataset) or --hf-dataset NAME[:split], one of them")  # fmt: skip
    if options.hf_dataset is not None:
        return [input_entry(found) for found in read_hub_dataset(options.hf_dataset, medium.kind)]
    assert options.in_dir is not None
    return list_inputs(
        options.in_dir,
        medium.extensions,
        kind=medium.kind,
        transcripts=medium.transcripts,
        skip=options.out,
    )


def input_record(options: CopiesOptions) -> dict[str, str]:
    """Where the inputs came from, as run.json records it."""
    if options.in_dir is None:
        return {"hf_dataset": str(options.hf_dataset)}
    return {"in_dir": str(options.in_dir.resolve())}


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
            "left out of the copies' rows (augment images --bbox-format moves boxes and keypoints)",
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
