"""The manifest: one JSON line per finished example, appended as examples complete.

It is the run's source of truth for resuming: an example is done when its row is there.
A line cut short by a kill is dropped on the next open. Rows carry every param of an
example (about 1 KB), so they go through orjson: a tenth of the stdlib's time per row, and
the same compact UTF-8 text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from augment.core.errors import AugsynthError
from augment.dataset.atomic import write_atomic

MANIFEST_NAME = "manifest.jsonl"
ERRORS_NAME = "errors.jsonl"
TAIL_BLOCK = 1 << 16  # bytes read at a time, backwards, looking for the last newline


def dumps_row(row: dict[str, Any]) -> str:
    """One row as compact JSON text (no spaces, non-ASCII kept as it is).

    NumPy scalars and arrays a transform may leave in its params are written as numbers
    and lists, as the stdlib writes float64.
    """
    return orjson.dumps(row, option=orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a small row file (errors.jsonl), repairing a torn last line."""
    return list(iter_rows(path))


def iter_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a manifest one at a time (a manifest of 10^8 rows is ~100 GB), after
    repairing a torn last line left by an interrupted run."""
    if not path.exists():
        return
    repair_torn_end(path)
    with open(path, "rb") as handle:
        # lines end at b"\n" only: a label may hold U+2028, which str.splitlines() splits on
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield parse_line(path, number, line)


def repair_torn_end(path: Path) -> None:
    """Cut a last line without its newline (a kill mid-append), reading only the file's end."""
    with open(path, "r+b") as handle:
        end = handle.seek(0, os.SEEK_END)
        keep = end
        while keep > 0:
            start = max(0, keep - TAIL_BLOCK)
            handle.seek(start)
            block = handle.read(keep - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            keep = start
        if keep != end:
            handle.truncate(keep)


INDEX_PREFIX = re.compile(rb'\{"index":(\d+)[,}]')  # how `dumps_row` starts every row


def line_index(path: Path, number: int, line: bytes) -> int:
    """A row's index, read from the line's start where this tool writes it; a full parse
    (refusing a damaged line) only for a line that does not start so."""
    match = INDEX_PREFIX.match(line)
    return int(match.group(1)) if match else parse_line(path, number, line)["index"]


def parse_line(path: Path, number: int, line: bytes) -> dict[str, Any]:
    """One parsed line; a damaged one (not a torn last line: NUL bytes from a crash, an edit)
    stops the run with one line naming it, rather than resume from a record it cannot read."""
    try:
        row = orjson.loads(line)
    except orjson.JSONDecodeError:
        row = None
    if not isinstance(row, dict) or "index" not in row:
        raise AugsynthError(
            f"{path}: line {number} is damaged (not a record this tool wrote); "
            "delete the line to resume, or start again in a new --out folder"
        )
    return row


def append_lines(handle: BinaryIO, lines: list[bytes]) -> None:
    """Append a batch's row lines and flush them, so a kill loses at most the batch in
    flight (its examples are made again on a rerun; a flush per row cost the main process
    more than the rest of its work on cheap examples)."""
    handle.write(b"".join(lines))
    handle.flush()


def write_error_rows(path: Path, errors: list[dict[str, Any]]) -> None:
    """errors.jsonl lists the failed examples in index order; none, no file."""
    if errors:
        write_atomic(path, "".join(dumps_row(e) + "\n" for e in errors).encode("utf-8"))
    elif path.exists():
        path.unlink()
