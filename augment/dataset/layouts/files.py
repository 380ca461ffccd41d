"""The files layout: example i is `<label folder>/<i:07d><suffix>`, written by the worker
that made it, plus metadata.parquet for Hugging Face imagefolder/audiofolder readers
(`hf_metadata`: typed, so `label` loads as a ClassLabel with names).

Every example the manifest does not list is made again on a rerun, failed ones included.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from augment.dataset.atomic import temporary_sibling, write_atomic
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.hf_metadata import MetadataSchema, write_metadata_file, write_metadata_lines
from augment.dataset.labels import label_to_dirname
from augment.dataset.layouts.base import Batch, Row, WriteJob
from augment.dataset.making import Listed, failure, listed, manifest_row, place_examples
from augment.dataset.manifest import MANIFEST_NAME
from augment.dataset.metadata_rows import MetadataRows, rows_schema, take_sealed
from augment.dataset.parts import Part
from augment.dataset.pool import Chunk, Executor, job_sizes, measured_pace, task_chunks
from augment.dataset.row_order import rows_in_order

METADATA_NAME = "metadata.parquet"
UNLABELLED_DIR = "unlabelled"


@dataclass(frozen=True)
class FilesLayout:
    """One file per example in a folder per label."""

    def record(self) -> dict[str, Any]:
        """Nothing: folders written before layouts were recorded resume as files."""
        return {}

    def describe(self) -> str:
        return "one file per example"

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> FilesLayout:
        return cls()

    def start(self, job: WriteJob) -> FilesPass:
        return FilesPass(job)

    def span(self, total: int, part: Part) -> range:
        return part.span(total)

    def owns(self, name: str, span: range) -> bool:
        stem = name.split(".", 1)[0]
        return stem.isdigit() and int(stem) in span

    def finish(self, out_dir: Path) -> None:
        """metadata.parquet from the manifest, streamed: a run's rows never all sit in memory."""
        write_metadata(out_dir)


@dataclass(frozen=True)
class LabelFolders:
    """Where the files layout puts example i: its label's folder (`a/0000012.png`), with
    the files that go with it beside it (`a/0000012.mask.png`)."""

    def example(self, index: int, label: str | None, suffix: str) -> str:
        return example_relpath(index, label, suffix)

    def file(self, index: int, label: str | None, column: str, suffix: str) -> str:
        return example_relpath(index, label, f".{column}{suffix}")


LABEL_FOLDERS = LabelFolders()


class FilesPass:
    """Makes and writes every example not listed yet."""

    placement: Any = LABEL_FOLDERS  # where example files go (a layout may place them)

    def __init__(self, job: WriteJob) -> None:
        self.job = job
        self.settled = job.done.count_in(job.span)
        self.earlier_errors: list[Row] = []  # every failed example is tried again

    def batches(self, executor: Executor) -> Iterator[Batch]:
        job = self.job
        pending = job.done.missing(job.span)
        sizes = job_sizes(len(job.span) - self.settled, executor.workers, measured_pace(executor))
        fresh = not job.in_parts and self.settled == 0 and job.span == range(len(job.tasks))
        work = partial(write_files, job.out_dir, job.maker, job.seed, self.placement, fresh)
        side = MetadataRows(job.out_dir) if fresh else None
        try:
            for rows, schema in executor.map(work, task_chunks(job.tasks, pending, sizes)):
                if side is not None and schema is not None:
                    side.add(rows, schema)
                yield Batch(rows, len(rows))
        except BaseException:
            if side is not None:
                side.discard()
            raise
        if side is not None:  # every row is in the manifest now: the finish reads these
            side.seal()


class WrittenFiles(NamedTuple):
    """A chunk's rows as `write_files` gives them back, and what their metadata rows hold
    if it was asked."""

    rows: list[Listed]
    schema: MetadataSchema | None


def write_files(
    out_dir: Path,
    maker: ExampleMaker,
    seed: int,
    placement: Any,
    find_schema: bool,
    chunk: Chunk,
) -> WrittenFiles:
    """Make and write a chunk of examples (in a worker); their manifest and metadata rows,
    or error rows, written out, and the schema of the metadata rows if asked (a fresh run
    keeps it for the finish, `metadata_rows`).

    An example's own files (a moved mask) are written too, their paths in their columns."""

    def place(index: int, example: Example) -> Listed:
        relpath = placement.example(index, example.label, example.suffix)
        write_atomic(out_dir / relpath, example.data)
        if example.files:
            columns = dict(example.columns)
            for column, (suffix, data) in example.files.items():
                columns[column] = placement.file(index, example.label, column, suffix)
                write_atomic(out_dir / columns[column], data)
            example = dataclasses.replace(example, columns=columns)
        row = manifest_row(index, {"file": relpath}, example, seed)
        return listed(row, metadata_row(row))

    rows = place_examples(maker, seed, chunk, place, failed=failure)
    return WrittenFiles(rows, rows_schema(rows) if find_schema else None)


def example_relpath(index: int, label: str | None, suffix: str) -> str:
    """Where example `index` goes: its label's folder (see `labels`), or `unlabelled`."""
    folder = UNLABELLED_DIR if label is None else label_to_dirname(label)
    return f"{folder}/{index:07d}{suffix}"


def finished_rows(out_dir: Path) -> Iterator[Row]:
    """The manifest's rows as metadata rows with their index, in index order, streamed."""
    for index, _, row in rows_in_order([out_dir / MANIFEST_NAME]):
        yield metadata_row(row) | {"index": index}


def metadata_row(row: Row) -> Row:
    """A manifest row as a Hugging Face imagefolder/audiofolder metadata row."""
    columns = {k: v for k, v in row.items() if k not in ("index", "file", "seed", "params")}
    return {"file_name": row["file"], **columns}


def write_metadata(out_dir: Path) -> Path:
    """Write metadata.parquet: the manifest's rows as metadata rows, in index order (read
    twice, so they never all sit in memory): from the side file a fresh run kept
    (`metadata_rows`), else from the manifest."""
    path = out_dir / METADATA_NAME
    sealed = take_sealed(out_dir)

    def rows() -> Iterator[Row]:
        return (metadata_row(row) for _, _, row in rows_in_order([out_dir / MANIFEST_NAME]))

    tmp = temporary_sibling(path)
    if sealed is not None:
        write_metadata_lines(tmp, sealed.rows, sealed.schema)
    else:
        write_metadata_file(tmp, rows)
    os.replace(tmp, path)
    if sealed is not None:
        sealed.remove()
    return path
