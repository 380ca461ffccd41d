"""Manifest rows in index order, streamed from files that list them almost in order.

A run appends rows as examples finish: in index order, except that a resume appends the
examples it retried after the rest. A file is thus a few ascending stretches; merging them
(and the files of a run made in parts) gives every row in index order while holding one
row per stretch, whatever the run's size.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from augment.dataset.manifest import line_index, parse_line, repair_torn_end

OrderedRow = tuple[int, bytes, dict[str, Any]]  # index, the line as written, the row


class Stretch(NamedTuple):
    """Bytes [start, end) of a row file, the first of them on line `first_line`."""

    start: int
    end: int
    first_line: int


def rows_in_order(paths: Iterable[Path]) -> Iterator[OrderedRow]:
    """Every row of the existing `paths`, in index order; an index listed twice is given
    once (the first file's line)."""
    stretches = [
        _stretch(path, stretch)
        for path in paths
        if path.exists()
        for stretch in ascending_stretches(path)
    ]
    last = -1
    for row in heapq.merge(*stretches, key=lambda r: (r[0], 0)):
        if row[0] != last:
            last = row[0]
            yield row


def ascending_stretches(path: Path) -> list[Stretch]:
    """The stretches of `path` in which row indices increase, in file order; repairs a torn
    last line and refuses a damaged one (naming its line)."""
    repair_torn_end(path)
    stretches: list[Stretch] = []
    current = Stretch(0, 0, 1)
    previous = -1
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                index = line_index(path, number, line)
                if index <= previous:
                    stretches.append(current)
                    current = Stretch(current.end, current.end, number)
                previous = index
            current = current._replace(end=current.end + len(line))
    return [*stretches, current] if current.end > current.start else stretches


def _stretch(path: Path, stretch: Stretch) -> Iterator[OrderedRow]:
    """The rows of one ascending stretch of `path`."""
    with open(path, "rb") as handle:
        handle.seek(stretch.start)
        position = stretch.start
        for number, line in enumerate(handle, start=stretch.first_line):
            if position >= stretch.end:
                return
            position += len(line)
            if line.strip():
                row = parse_line(path, number, line)
                yield row["index"], line, row
