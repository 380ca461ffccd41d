"""`--dry-run`: the preview alone, and what the full run would take.

The folder is claimed and checked as the real run would (a folder holding another run is
refused), but no run record, manifest or example is written, so the real run that follows
starts as if into a fresh folder and writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from augment.dataset.layouts import Layout, describe_record
from augment.dataset.out_folder import claim_folder
from augment.dataset.run_record import refuse_other_run, run_record
from augment.dataset.writer import Run
from augment.preview.cells import Preview
from augment.preview.size import estimate_bytes, human_bytes


def dry_run(
    out: Path,
    tasks: Sequence[dict[str, Any]],
    run: Run,
    layout: Layout,
    write: Callable[[], Preview],
) -> str:
    """Write only the preview (`write` makes and writes it, returning it); the line that
    says how many examples the run would make and about how big it would be."""
    with claim_folder(out):
        record = run_record(run.command, run.seed, tasks, layout.record())
        refuse_other_run(out, record, describe_record, tasks)
        preview = write()
    size = estimate_bytes(preview.stored, len(tasks), layout)
    measured = len(preview.stored)
    return (
        f"dry run: {len(tasks)} examples, about {human_bytes(size)} ({size} bytes, estimated "
        f"from {measured} previewed examples); nothing but the preview was written to {out}"
    )
