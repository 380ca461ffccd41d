"""The metadata rows a fresh run keeps as it goes, so that writing metadata.parquet at the
finish need not read the manifest back.

metadata.parquet is derived from the manifest, whose rows carry every param of an example
(about 1 KB of JSON); parsing them back twice at the finish was the run's one serial phase
that grows with the run (~21 us a row of `synth ocr`, ~12 of `augment images`, while the
other cores wait). A run that starts with no example done appends each made example's
metadata row (a few columns, no params, written out by the worker that made it) to a side
file beside the manifest, in the same order, as the run goes; the finish reads that
instead (~4 and ~2.4 us a row). The side file is sealed with the manifest's size once the run
has made everything, and used only while the manifest still has that size: any other
folder (a resumed run, a run made in parts) derives metadata.parquet from the manifest as
before. The rows are the same JSON either way, so the bytes are the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from augment.dataset.atomic import temporary_sibling
from augment.dataset.making import Listed
from augment.dataset.manifest import MANIFEST_NAME

Row = dict[str, Any]
SIDE_NAME = "metadata-rows"  # a temporary's target name: a killed run's side file is stale


class MetadataRows:
    """The side file of a fresh run into `out_dir`, written row by row."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = temporary_sibling(out_dir / f"{SIDE_NAME}.jsonl")
        self.handle: BinaryIO | None = open(self.path, "wb")  # noqa: SIM115 (closed by seal)

    def add(self, rows: list[Listed]) -> None:
        """The metadata rows of a batch's made examples (the workers wrote them out)."""
        assert self.handle is not None, "add after seal"
        self.handle.write(b"".join(entry.metadata for entry in rows if entry.error is None))

    def seal(self) -> None:
        """Every row is in: name the side file after the manifest's size now."""
        assert self.handle is not None, "sealed twice"
        self.handle.close()
        self.handle = None
        os.replace(self.path, sealed_path(self.out_dir))

    def discard(self) -> None:
        """The run stopped before the end: the manifest alone says what was made."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.path.unlink(missing_ok=True)


def sealed_path(out_dir: Path) -> Path:
    """Where a side file sealed against OUT's manifest as it is now would be."""
    manifest = out_dir / MANIFEST_NAME
    size = manifest.stat().st_size if manifest.exists() else 0
    return temporary_sibling(out_dir / f"{SIDE_NAME}.{size}.jsonl")


def take_sealed(out_dir: Path) -> Path | None:
    """This process's side file matching OUT's manifest, if there is one."""
    path = sealed_path(out_dir)
    return path if path.is_file() else None


def side_rows(path: Path) -> Iterator[Row]:
    """The metadata rows of a side file, in order."""
    with open(path, "rb") as handle:
        for line in handle:
            yield orjson.loads(line)
