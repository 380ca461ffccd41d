"""The metadata rows a fresh run keeps as it goes, so that writing metadata.parquet at the
finish need not read the manifest back, nor the rows twice.

metadata.parquet is derived from the manifest, whose rows carry every param of an example
(about 1 KB of JSON); parsing them back twice at the finish was the run's one serial phase
that grows with the run, while the other cores wait. A run that starts with no example
done appends each made example's metadata row (a few columns, no params, written out by
the worker that made it) to a side file beside the manifest, in the same order, as the run
goes, and merges what the workers found of the rows' schema (`MetadataSchema`: columns,
kinds of value, labels). The side file is sealed with the manifest's size once the run has
made everything, the schema beside it, and used only while the manifest still has that
size: any other folder (a resumed run, a run made in parts) derives metadata.parquet from
the manifest as before. The rows are the same JSON either way, so the bytes are the same.

Per row of `synth ocr` at the finish: ~21 us from the manifest, 1.2-1.8 from the sealed side
file (`write_metadata_lines`); the workers spend ~3 us each finding its kinds.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, NamedTuple

import orjson

from augment.dataset.atomic import temporary_sibling, write_atomic
from augment.dataset.hf_metadata import MetadataSchema
from augment.dataset.making import Listed
from augment.dataset.manifest import MANIFEST_NAME

SIDE_NAME = "metadata-rows"  # a temporary's target name: a killed run's side file is stale


class SealedRows(NamedTuple):
    """A finished run's side file, and the schema of its rows with the file that holds it."""

    rows: Path
    schema: MetadataSchema
    schema_path: Path

    def remove(self) -> None:
        """Both files, once metadata.parquet is written."""
        self.rows.unlink()
        self.schema_path.unlink()


class MetadataRows:
    """The side file of a fresh run into `out_dir`, written row by row."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = temporary_sibling(out_dir / f"{SIDE_NAME}.jsonl")
        self.handle: BinaryIO | None = open(self.path, "wb")  # noqa: SIM115 (closed by seal)
        self.schema = MetadataSchema()

    def add(self, rows: list[Listed], schema: MetadataSchema) -> None:
        """The metadata rows of a batch's made examples (the workers wrote them out), and
        what the workers found of their schema."""
        assert self.handle is not None, "add after seal"
        self.handle.write(b"".join(entry.metadata for entry in rows if entry.error is None))
        self.schema.merge(schema)

    def seal(self) -> None:
        """Every row is in: name the side file after the manifest's size now, its schema
        written beside it first."""
        assert self.handle is not None, "sealed twice"
        self.handle.close()
        self.handle = None
        rows, schema = sealed_paths(self.out_dir)
        write_atomic(schema, orjson.dumps(self.schema.record()))
        os.replace(self.path, rows)

    def discard(self) -> None:
        """The run stopped before the end: the manifest alone says what was made."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.path.unlink(missing_ok=True)


def rows_schema(rows: list[Listed]) -> MetadataSchema:
    """What the metadata rows of the made examples among `rows` hold (in a worker: read
    back from the lines written, so it is what the side file will hold)."""
    found = MetadataSchema()
    for entry in rows:
        if entry.error is None:
            found.add(orjson.loads(entry.metadata))
    return found


def sealed_paths(out_dir: Path) -> tuple[Path, Path]:
    """Where a side file sealed against OUT's manifest as it is now, and its schema, would
    be."""
    manifest = out_dir / MANIFEST_NAME
    size = manifest.stat().st_size if manifest.exists() else 0
    rows = temporary_sibling(out_dir / f"{SIDE_NAME}.{size}.jsonl")
    return rows, temporary_sibling(out_dir / f"{SIDE_NAME}.{size}.schema.json")


def take_sealed(out_dir: Path) -> SealedRows | None:
    """This process's side file matching OUT's manifest, if there is one."""
    rows, schema = sealed_paths(out_dir)
    if not (rows.is_file() and schema.is_file()):
        return None
    return SealedRows(rows, MetadataSchema.from_record(orjson.loads(schema.read_bytes())), schema)
