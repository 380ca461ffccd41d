"""metadata.parquet of a fresh run comes from the rows kept as it went (the side file), with
the same bytes as from the manifest; any other folder falls back to the manifest."""

from __future__ import annotations

from pathlib import Path

import pytest
from toys import NoiseImageMaker

import augment.dataset.layouts.files as files_layout
from augment.dataset.atomic import TMP_MARK
from augment.dataset.layouts.files import METADATA_NAME, write_metadata
from augment.dataset.metadata_rows import take_sealed
from augment.dataset.parts import Part
from augment.dataset.writer import Run, write_dataset

LABELS = ["a", "b", "é"]
TASKS = [
    {"label": LABELS[i % 3], "source": f"in/{i}.png", "note": "x" * (i % 4)} for i in range(40)
]
TASKS[7] = {**TASKS[7], "bad": True}  # a failed example has no row in either file
NOTES = [{"k": 1}, 2**53 + 1, 0.5, "x", None]  # a column kept as JSON text
AWKWARD = [task | {"note": NOTES[i % len(NOTES)]} for i, task in enumerate(TASKS)]
COMMAND = {"name": "toy", "options": {}}


def _from_manifest(out: Path) -> bytes:
    """metadata.parquet as derived from the manifest alone."""
    assert take_sealed(out) is None
    return write_metadata(out).read_bytes()


def _no_manifest_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the finish read the manifest back")

    monkeypatch.setattr(files_layout, "rows_in_order", refuse)


@pytest.mark.parametrize("tasks", [TASKS, AWKWARD], ids=["typed", "json-text"])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_fresh_run_writes_metadata_without_reading_the_manifest_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, tasks: list[dict]
) -> None:
    _no_manifest_reads(monkeypatch)
    write_dataset(tmp_path, tasks, NoiseImageMaker(), run=Run(COMMAND, 3, workers))
    written = (tmp_path / METADATA_NAME).read_bytes()
    assert not list(tmp_path.rglob(f"*{TMP_MARK}*")), "the side file is removed"
    monkeypatch.undo()
    assert written == _from_manifest(tmp_path)


def test_a_resumed_run_derives_metadata_from_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    for out in (whole, resumed):
        write_dataset(out, TASKS, NoiseImageMaker(), run=Run(COMMAND, 3))
    manifest = resumed / "manifest.jsonl"
    lines = manifest.read_bytes().splitlines(keepends=True)
    manifest.write_bytes(b"".join(lines[:20]))  # rows a kill lost: made again on the rerun
    read = files_layout.rows_in_order
    reads: list[object] = []
    monkeypatch.setattr(files_layout, "rows_in_order", lambda p: reads.append(p) or read(p))
    write_dataset(resumed, TASKS, NoiseImageMaker(), run=Run(COMMAND, 3))
    assert reads, "a resumed run reads the manifest"
    assert (resumed / METADATA_NAME).read_bytes() == (whole / METADATA_NAME).read_bytes()
    assert not list(resumed.rglob(f"*{TMP_MARK}*"))


def test_a_run_in_one_part_leaves_no_side_file(tmp_path: Path) -> None:
    """`--shard 0/1` writes its rows to the part's folder: no side file (the merge derives
    metadata.parquet from the merged manifest), and nothing left behind."""
    whole, parted = tmp_path / "whole", tmp_path / "parted"
    write_dataset(whole, TASKS, NoiseImageMaker(), run=Run(COMMAND, 3))
    summary = write_dataset(parted, TASKS, NoiseImageMaker(), run=Run(COMMAND, 3, part=Part(0, 1)))
    assert summary.merged and not list(parted.rglob(f"*{TMP_MARK}*"))
    assert (parted / METADATA_NAME).read_bytes() == (whole / METADATA_NAME).read_bytes()
