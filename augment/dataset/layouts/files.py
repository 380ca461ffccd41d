"""The files layout: example i is `<label folder>/<i:07d><suffix>`, written by the worker
that made it, plus metadata.parquet for Hugging Face imagefolder/audiofolder readers
(`hf_metadata`: typed, so `label` loads as a ClassLabel with names).

Every example the manifest does not list is made again on a rerun, failed ones included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from augment.dataset.atomic import write_atomic
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.hf_metadata import metadata_bytes
from augment.dataset.labels import label_to_dirname
from augment.dataset.layouts.base import Batch, Row, WriteJob
from augment.dataset.making import manifest_row, place_examples
from augment.dataset.pool import Chunk, Executor, chunk_size, task_chunks

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
    """Makes and writes every example not listed yet; keeps metadata.parquet's rows."""

    placement: Any = LABEL_FOLDERS  # where example files go (a layout may place them)

    def __init__(self, job: WriteJob) -> None:
        self.job = job
        self.settled = len(job.done)
        self.earlier_errors: list[Row] = []  # every failed example is tried again
        # the metadata is derived from the manifest: kept here, not reread at the end
        self.metadata = {row["index"]: metadata_row(row) for row in job.previous_rows}

    def batches(self, executor: Executor) -> Iterator[Batch]:
        job = self.job
        pending = (i for i in range(len(job.tasks)) if i not in job.done)
        size = chunk_size(len(job.tasks) - len(job.done), executor.workers)
        work = partial(write_files, job.out_dir, job.maker, job.seed, placement=self.placement)
        for rows in executor.map(work, task_chunks(job.tasks, pending, size)):
            for row in rows:
                if "error" not in row:
                    self.metadata[row["index"]] = metadata_row(row)
            yield Batch(rows, len(rows))

    def finish(self) -> None:
        write_metadata(self.job.out_dir, self.metadata)


def write_files(
    out_dir: Path, maker: ExampleMaker, seed: int, chunk: Chunk, placement: Any = LABEL_FOLDERS
) -> list[Row]:
    """Make and write a chunk of examples (in a worker); their manifest rows, or error rows.

    An example's own files (a moved mask) are written too, their paths in their columns."""

    def place(index: int, example: Example) -> Row:
        relpath = placement.example(index, example.label, example.suffix)
        write_atomic(out_dir / relpath, example.data)
        if example.files:
            columns = dict(example.columns)
            for column, (suffix, data) in example.files.items():
                columns[column] = placement.file(index, example.label, column, suffix)
                write_atomic(out_dir / columns[column], data)
            example = dataclasses.replace(example, columns=columns)
        return manifest_row(index, {"file": relpath}, example, seed)

    return place_examples(maker, seed, chunk, place, failed=lambda row: row)


def example_relpath(index: int, label: str | None, suffix: str) -> str:
    """Where example `index` goes: its label's folder (see `labels`), or `unlabelled`."""
    folder = UNLABELLED_DIR if label is None else label_to_dirname(label)
    return f"{folder}/{index:07d}{suffix}"


def metadata_row(row: Row) -> Row:
    """A manifest row as a Hugging Face imagefolder/audiofolder metadata row."""
    columns = {k: v for k, v in row.items() if k not in ("index", "file", "seed", "params")}
    return {"file_name": row["file"], **columns}


def write_metadata(out_dir: Path, rows: dict[int, Row]) -> Path:
    """Write metadata.parquet: the metadata rows in index order."""
    path = out_dir / METADATA_NAME
    write_atomic(path, metadata_bytes([rows[index] for index in sorted(rows)]))
    return path
