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
from pathlib import Path
from typing import Any

from augment.core.errors import ConfigError
from augment.core.validation import check_int
from augment.dataset.atomic import remove_stale_temporaries, write_atomic
from augment.dataset.example import ExampleMaker
from augment.dataset.layouts import FilesLayout, Layout, describe_record
from augment.dataset.layouts.base import Batch, Row, WriteJob
from augment.dataset.manifest import MANIFEST_NAME, append_row, dumps_row, read_rows
from augment.dataset.out_folder import claim_folder
from augment.dataset.pool import Executor, LocalPool
from augment.dataset.run_record import check_run_record, run_record

ERRORS_NAME = "errors.jsonl"
MAX_SEED = 2**63 - 1  # rows record the seed as a JSON integer, 64-bit in most readers


@dataclass(frozen=True)
class Run:
    """Who asks for the examples: the command record (name and options, kept in run.json so
    only the same command resumes), the seed, and where examples are made: `workers` local
    processes, or `executor` (e.g. a `DaskExecutor`) when given. Bytes depend on neither."""

    command: dict[str, Any]
    seed: int
    workers: int = 1
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
    """Make every task's example into `out`, resuming an earlier run of the same command.

    Tasks are looked up by index as they are made (any sequence with len and indexing).
    Refused before anything is written: a layout that is not one, or a folder holding
    another run.
    """
    if not isinstance(layout, Layout):
        raise ConfigError("layout", f"expected FilesLayout() or ShardsLayout(size), got {layout!r}")
    out_dir = Path(out)
    with claim_folder(out_dir):
        return _write(out_dir, tasks, maker, run, layout, progress)


def _write(
    out_dir: Path,
    tasks: Sequence[dict[str, Any]],
    maker: ExampleMaker,
    run: Run,
    layout: Layout,
    progress: Progress,
) -> RunSummary:
    """`write_dataset` once OUT is this run's alone."""
    check_run_record(
        out_dir, run_record(run.command, run.seed, tasks, layout.record()), describe_record
    )
    remove_stale_temporaries(out_dir)
    previous = read_rows(out_dir / MANIFEST_NAME)
    done = {row["index"] for row in previous}
    failed = read_rows(out_dir / ERRORS_NAME)
    job = WriteJob(out_dir, tasks, maker, run.seed, previous, failed, done)
    progress.claimed()
    layout_pass = layout.start(job)
    summary = RunSummary(out_dir, len(tasks), 0, len(done))
    if layout_pass.settled:
        (progress.resumed or progress.advance)(layout_pass.settled)
    executor = run.executor or LocalPool(run.workers)
    errors = _record(out_dir, layout_pass.batches(executor), summary, progress)
    _write_errors(out_dir, sorted(layout_pass.earlier_errors + errors, key=lambda e: e["index"]))
    layout_pass.finish()
    if run.executor is not None:  # a cluster worker killed mid-write left its temporary
        remove_stale_temporaries(out_dir)
    return summary


def _record(
    out_dir: Path, batches: Iterator[Batch], summary: RunSummary, progress: Progress
) -> list[Row]:
    """Append each batch's rows to the manifest as they come; returns the error rows."""
    errors: list[Row] = []
    with open(out_dir / MANIFEST_NAME, "a", encoding="utf-8") as manifest:
        try:
            for batch in batches:
                for row in batch.rows:
                    if "error" in row:
                        errors.append(row)
                        summary.errors.append(row["error"])
                        progress.error(row["error"])
                    else:
                        append_row(manifest, row)
                        summary.written += 1
                progress.advance(batch.finished)
        finally:
            os.fsync(manifest.fileno())
    return errors


def _write_errors(out_dir: Path, errors: list[Row]) -> None:
    """errors.jsonl lists the failed examples in index order; none, no file."""
    path = out_dir / ERRORS_NAME
    if errors:
        write_atomic(path, "".join(dumps_row(e) + "\n" for e in errors).encode("utf-8"))
    elif path.exists():
        path.unlink()
