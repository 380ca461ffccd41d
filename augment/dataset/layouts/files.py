"""The files layout: example i is `<label folder>/<i:07d><suffix>`, written by the worker
that made it, plus metadata.jsonl for Hugging Face imagefolder/audiofolder readers.

Every example the manifest does not list is made again on a rerun, failed ones included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from augment.dataset.atomic import write_atomic, write_atomic_lines
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.labels import label_to_dirname
from augment.dataset.layouts.base import Batch, Row, WriteJob
from augment.dataset.making import manifest_row, place_examples
from augment.dataset.manifest import MANIFEST_NAME, dumps_row
from augment.dataset.parts import Part
from augment.dataset.pool import Chunk, Executor, chunk_size, task_chunks
from augment.dataset.row_order import rows_in_order

METADATA_NAME = "metadata.jsonl"
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
        """metadata.jsonl from the manifest, streamed: a run's rows never all sit in memory."""
        write_metadata(out_dir)


class FilesPass:
    """Makes and writes every example not listed yet."""

    def __init__(self, job: WriteJob) -> None:
        self.job = job
        self.settled = job.done.count_in(job.span)
        self.earlier_errors: list[Row] = []  # every failed example is tried again

    def batches(self, executor: Executor) -> Iterator[Batch]:
        job = self.job
        pending = job.done.missing(job.span)
        size = chunk_size(len(job.span) - self.settled, executor.workers)
        work = partial(write_files, job.out_dir, job.maker, job.seed)
        for rows in executor.map(work, task_chunks(job.tasks, pending, size)):
            yield Batch(rows, len(rows))


def write_files(out_dir: Path, maker: ExampleMaker, seed: int, chunk: Chunk) -> list[Row]:
    """Make and write a chunk of examples (in a worker); their manifest rows, or error rows."""

    def place(index: int, example: Example) -> Row:
        relpath = example_relpath(index, example.label, example.suffix)
        write_atomic(out_dir / relpath, example.data)
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


def write_metadata(out_dir: Path) -> Path:
    """Write metadata.jsonl: the manifest's rows as metadata rows, in index order."""
    rows = rows_in_order([out_dir / MANIFEST_NAME])
    lines = ((dumps_row(metadata_row(row)) + "\n").encode("utf-8") for _, _, row in rows)
    path = out_dir / METADATA_NAME
    write_atomic_lines(path, lines)
    return path
