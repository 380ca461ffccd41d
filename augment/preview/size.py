"""How big a full run would be, estimated from the examples a preview made.

Each previewed example is measured as the run would store it (its file, its manifest line
and its metadata line); the mean times the number of examples is the estimate. Shards
store each example's file, record and label as tar members (a header block each, padded
to whole blocks) in archives padded to whole tar records, and no metadata file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from augment.dataset.example import Example
from augment.dataset.layouts import Layout, ShardsLayout
from augment.dataset.layouts.files import example_relpath, metadata_row
from augment.dataset.making import manifest_row
from augment.dataset.manifest import dumps_row
from augment.dataset.tar import BLOCK, RECORD


class Stored(NamedTuple):
    """Bytes one example takes: its file, its manifest line, its metadata line."""

    data: int
    manifest: int
    metadata: int


def stored_row(index: int, example: Example, seed: int) -> dict[str, Any]:
    """Example `index`'s manifest row as a one-file-per-example run writes it."""
    location = {"file": example_relpath(index, example.label, example.suffix)}
    return manifest_row(index, location, example, seed)


def stored_bytes(row: dict[str, Any], example: Example) -> Stored:
    """What an example adds to the dataset, part by part."""
    manifest = len((dumps_row(row) + "\n").encode("utf-8"))
    metadata = len((dumps_row(metadata_row(row)) + "\n").encode("utf-8"))
    return Stored(len(example.data), manifest, metadata)


def estimate_bytes(measured: Sequence[Stored], count: int, layout: Layout) -> int:
    """The full run's size from the mean measured example (0 if none was measured)."""
    if not measured:
        return 0
    manifest = _mean([m.manifest for m in measured]) * count
    if not isinstance(layout, ShardsLayout):
        return round(manifest + _mean([m.data + m.metadata for m in measured]) * count)
    # file, record (about the manifest line) and label: a header and whole blocks each
    member = _mean([_blocks(m.data) + _blocks(m.manifest) + 3 * BLOCK for m in measured]) + BLOCK
    shards = math.ceil(count / layout.size)
    per_shard = member * min(count, layout.size) + 2 * BLOCK
    return round(manifest + shards * math.ceil(per_shard / RECORD) * RECORD)


def human_bytes(size: float) -> str:
    """1234567 -> '1.2 MB' (decimal units, as file managers show them)."""
    if size < 1000:
        return f"{size:.0f} bytes"
    for unit in ("kB", "MB", "GB"):
        size /= 1000
        if size < 1000:
            return f"{size:.1f} {unit}"
    return f"{size / 1000:.1f} TB"


def _blocks(size: int) -> int:
    return math.ceil(size / BLOCK) * BLOCK


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)
