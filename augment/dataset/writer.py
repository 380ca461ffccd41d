"""Write a dataset folder: parallel, deterministic, resumable, whatever the layout.

Example i is made with the generator from (seed, i) and placed by the layout (one file
each, or WebDataset shards: `augment.dataset.layouts`), so the bytes do not depend on the
worker count or a resume. The main process appends manifest rows in index order; a rerun
of the same command resumes, and a different command, seed or layout into the same folder
is refused (`run_record`). A bad input is reported on one line and the run goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.validation import check_int
from augment.dataset.atomic import remove_stale_temporaries
from augment.dataset.example import ExampleMaker
from augment.dataset.index_ranges import IndexRanges
from augment.dataset.layouts import FilesLayout, Layout, describe_record
from augment.dataset.layouts.base import Batch, Row, WriteJob
from augment.dataset.making import error_row
from augment.dataset.manifest import (
    ERRORS_NAME,
    MANIFEST_NAME,
    append_lines,
    iter_rows,
    read_rows,
    write_error_rows,
)
from augment.dataset.merge import merge_parts
from augment.dataset.out_folder import claim_folder
from augment.dataset.parts import Part, finish_part, part_dir, refuse_parts, start_part
from augment.dataset.pool import Executor, LocalPool
from augment.dataset.run_record import check_run_record, run_record

PART_LOCK_WAIT = 120.0  # seconds a part waits for OUT's lock (other parts hold it briefly)
MAX_SEED = 2**63 - 1  # rows record the seed as a JSON integer, 64-bit in most readers


@dataclass(frozen=True)
class Run:
    """Who asks for the examples: the command record (name and options, kept in run.json so
    only the same command resumes), the seed, where examples are made (`workers` local
    processes, or `executor`, e.g. a `DaskExecutor`, when given; bytes depend on neither)
    and, for a run split across machines, which part this is."""

    command: dict[str, Any]
    seed: int
    workers: int = 1
    part: Part | None = None  # --shard I/N: make only this part of the index range
    executor: Executor | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        check_int("seed", self.seed, lo=0, hi=MAX_SEED)
        check_int("workers", self.workers, lo=1)


def _ignore(_: Any) -> None:
    """Progress nobody watches."""


@dataclass(frozen=True)
class Progress:
    """What the writer reports as it goes: `claimed()` once OUT is this run's (a preview
    may be written then, never into another run's folder), `advance(n)` as n more examples
    finish, and `error(message)` once per bad input (the run goes on)."""

    advance: Callable[[int], None] = _ignore
    error: Callable[[str], None] = _ignore
    claimed: Callable[[], None] = lambda: None
    resumed: Callable[[int], None] | None = None  # found done by a resume (default: advance)


ONE_FILE_EACH = FilesLayout()
UNWATCHED = Progress()


@dataclass
class RunSummary:
    """What a run did, for the CLI to print."""

    out_dir: Path
    total: int
    written: int
    already_done: int
    errors: list[str] = field(default_factory=list)
    merged: bool = False  # the last part of a run made in parts joined the parts' rows

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST_NAME


def write_dataset(
    out: str | Path,
    tasks: Sequence[dict[str, Any]],
    maker: ExampleMaker,
    *,
    run: Run,
    layout: Layout = ONE_FILE_EACH,
    progress: Progress = UNWATCHED,
) -> RunSummary:
    """Make every task's example into `out` (or `run.part`'s share of them), resuming an
    earlier run of the same command.

    Tasks are looked up by index as they are made (any sequence with len and indexing).
    Refused before anything is written: a layout that is not one, or a folder holding
    another run.
    """
    if not isinstance(layout, Layout):
        raise ConfigError("layout", f"expected FilesLayout() or ShardsLayout(size), got {layout!r}")
    out_dir = Path(out)
    record = run_record(run.command, run.seed, tasks, layout.record())
    if run.part is not None:
        return _write_part(out_dir, Plan(tasks, maker, run, layout, record), run.part, progress)
    with claim_folder(out_dir):
        refuse_parts(out_dir)
        check_run_record(out_dir, record, describe_record, tasks)
        remove_stale_temporaries(out_dir)
        rows = RowFiles(out_dir, out_dir, range(len(tasks)))
        summary = _write(Plan(tasks, maker, run, layout, record), rows, progress)
        layout.finish(out_dir)
        return summary


@dataclass(frozen=True)
class Plan:
    """What a run makes and how: its tasks, maker, options, layout and run record."""

    tasks: Sequence[dict[str, Any]]
    maker: ExampleMaker
    run: Run
    layout: Layout
    record: dict[str, Any]


@dataclass(frozen=True)
class RowFiles:
    """Where a run (or a part) keeps its rows: `folder`'s manifest and errors file (OUT's
    own, or a part's folder), for the examples `span` of the run into `out_dir`."""

    out_dir: Path
    folder: Path
    span: range

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST_NAME

    @property
    def errors(self) -> Path:
        return self.folder / ERRORS_NAME


def _write_part(out_dir: Path, plan: Plan, part: Part, progress: Progress) -> RunSummary:
    """Make one part into OUT; the last part to finish merges the parts' rows. OUT's lock
    is held only to check the run record and take the part, and again to merge."""
    with claim_folder(out_dir, wait=PART_LOCK_WAIT):
        check_run_record(out_dir, plan.record, describe_record, plan.tasks)
        handle = start_part(out_dir, part)
    try:
        span = plan.layout.span(len(plan.tasks), part)
        remove_stale_temporaries(out_dir, lambda name: plan.layout.owns(name, span))
        rows = RowFiles(out_dir, part_dir(out_dir, part), span)
        summary = _write(plan, rows, progress)
        finish_part(out_dir, part)
        with claim_folder(out_dir, wait=PART_LOCK_WAIT):
            summary.merged = merge_parts(out_dir, required=False)
    finally:
        os.close(handle)
    return summary


def _write(plan: Plan, files: RowFiles, progress: Progress) -> RunSummary:
    """Make what `files.span` is missing, once its folder is this run's alone."""
    job = WriteJob(
        files.out_dir, plan.tasks, plan.maker, plan.run.seed, files.span,
        _done(files), _earlier_errors(files), in_parts=files.folder != files.out_dir,
    )  # fmt: skip
    progress.claimed()
    layout_pass = plan.layout.start(job)
    summary = RunSummary(files.out_dir, len(files.span), 0, job.done.count_in(files.span))
    if layout_pass.settled:
        (progress.resumed or progress.advance)(layout_pass.settled)
    batches = layout_pass.batches(plan.run.executor or LocalPool(plan.run.workers))
    try:
        errors = _record(files.manifest, batches, summary, progress)
    finally:  # stop the workers now, not when the generator is collected: they hold the locks
        getattr(batches, "close", lambda: None)()
    write_error_rows(
        files.errors, sorted(layout_pass.earlier_errors + errors, key=lambda e: e["index"])
    )
    if plan.run.executor is not None:  # a cluster worker killed mid-write left its temporary
        remove_stale_temporaries(files.out_dir, lambda name: plan.layout.owns(name, files.span))
    return summary


def _done(files: RowFiles) -> IndexRanges:
    """The examples of the span OUT's manifest or the part's own lists, kept as ranges."""
    done = IndexRanges()
    sources = {files.out_dir / MANIFEST_NAME, files.manifest}
    for row in chain.from_iterable(iter_rows(path) for path in sorted(sources)):
        if row["index"] in files.span:
            done.add(row["index"])
    return done


def _earlier_errors(files: RowFiles) -> list[Row]:
    """The failures of the span an earlier run listed: the part's own once it has
    finished, else OUT's (a merge moved them there)."""
    path = files.errors if files.errors.exists() else files.out_dir / ERRORS_NAME
    return [row for row in read_rows(path) if row["index"] in files.span]


def _record(
    manifest_path: Path, batches: Iterator[Batch], summary: RunSummary, progress: Progress
) -> list[Row]:
    """Append each batch's rows to the manifest as they come; returns the error rows."""
    errors: list[Row] = []
    with open(manifest_path, "ab") as manifest:
        try:
            for batch in batches:
                made = [entry.line for entry in batch.rows if entry.error is None]
                append_lines(manifest, made)
                summary.written += len(made)
                for entry in batch.rows:
                    if entry.error is not None:
                        errors.append(error_row(entry))
                        summary.errors.append(entry.error)
                        progress.error(entry.error)
                progress.advance(batch.finished)
        finally:
            os.fsync(manifest.fileno())
    return errors
