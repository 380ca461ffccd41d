"""Joining a run made in parts (`--shard I/N`): the parts' manifest rows and errors go into
OUT's own files in index order, metadata.jsonl is derived, and OUT/parts/ goes, leaving the
bytes a one-part run writes.

The last part to finish does it, or `augment merge OUT`; either holds OUT's lock. A part
counts as finished when its folder says so, or, once merged, when OUT's rows cover it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from augment.core.errors import AugsynthError
from augment.dataset.atomic import remove_temporaries_of, write_atomic_lines
from augment.dataset.index_ranges import IndexRanges
from augment.dataset.layouts import Layout, layout_of_record
from augment.dataset.layouts.base import Row
from augment.dataset.layouts.files import METADATA_NAME
from augment.dataset.manifest import (
    ERRORS_NAME,
    MANIFEST_NAME,
    iter_rows,
    read_rows,
    write_error_rows,
)
from augment.dataset.parts import FINISHED_NAME, PARTS_DIR, Part, part_dir, parts_count
from augment.dataset.row_order import rows_in_order
from augment.dataset.run_record import read_run_record


def merge_parts(out_dir: Path, *, required: bool) -> bool:
    """Merge OUT's parts if every one has finished (call with OUT's lock held); whether it
    did. With `required`, what stops it is an error naming the part to run."""
    count = parts_count(out_dir)
    record = read_run_record(out_dir)
    if count is None or record is None:
        if required:
            raise AugsynthError(f"{out_dir}: no parts to merge ({PARTS_DIR}/ holds none)")
        return False
    layout, total = layout_of_record(record), record["examples"]
    waiting = unfinished_parts(out_dir, layout, total, count)
    if waiting:
        if required:
            raise AugsynthError(
                f"{out_dir}: {len(waiting)} of {count} parts have not finished (first: "
                f"{waiting[0]}/{count}); run them with --shard I/{count}, then merge"
            )
        return False
    _join(out_dir, layout, total, [part_dir(out_dir, Part(n, count)) for n in range(count)])
    return True


def _join(out_dir: Path, layout: Layout, total: int, parts: list[Path]) -> None:
    """Write OUT's manifest, errors and derived files from its own and the parts' rows, then
    remove the parts. Each file is replaced whole, so a cut merge can simply be run again
    (an index listed both in OUT's manifest and a part's is written once)."""
    manifest = out_dir / MANIFEST_NAME
    for name in (MANIFEST_NAME, ERRORS_NAME, METADATA_NAME):  # left by a cut merge
        remove_temporaries_of(out_dir / name)
    sources = [manifest, *(folder / MANIFEST_NAME for folder in parts)]
    write_atomic_lines(manifest, (line for _, line, _ in rows_in_order(sources)))
    write_error_rows(out_dir / ERRORS_NAME, _merged_errors(out_dir, layout, total, parts))
    layout.finish(out_dir)
    shutil.rmtree(out_dir / PARTS_DIR)


def unfinished_parts(out_dir: Path, layout: Layout, total: int, count: int) -> list[int]:
    """The parts not finished: those whose folder lacks the mark, and those with no folder
    whose examples OUT's rows do not all list (done or failed)."""
    covered: IndexRanges | None = None
    waiting = []
    for number in range(count):
        folder = part_dir(out_dir, Part(number, count))
        if folder.is_dir():
            if not (folder / FINISHED_NAME).exists():
                waiting.append(number)
            continue
        if covered is None:
            covered = _listed(out_dir)
        span = layout.span(total, Part(number, count))
        if covered.count_in(span) < len(span):
            waiting.append(number)
    return waiting


def _listed(out_dir: Path) -> IndexRanges:
    """The examples OUT's manifest or errors file lists."""
    listed = IndexRanges(row["index"] for row in iter_rows(out_dir / MANIFEST_NAME))
    for row in read_rows(out_dir / ERRORS_NAME):
        listed.add(row["index"])
    return listed


def _merged_errors(out_dir: Path, layout: Layout, total: int, parts: list[Path]) -> list[Row]:
    """Each part's errors (what still stands after its last run), and OUT's own for the
    parts that have no folder (merged earlier and not run since)."""
    own = read_rows(out_dir / ERRORS_NAME)
    errors: list[Row] = []
    for number, folder in enumerate(parts):
        if folder.is_dir():
            errors += read_rows(folder / ERRORS_NAME)
        else:
            span = layout.span(total, Part(number, len(parts)))
            errors += [row for row in own if row["index"] in span]
    return sorted(errors, key=lambda row: row["index"])
