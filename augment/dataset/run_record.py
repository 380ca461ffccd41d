"""The run record (OUT/run.json): which command, seed, tasks and layout a folder holds.

A rerun of the same command resumes; anything else into the same folder is refused before
a byte is written, since mixing two runs' examples in one dataset cannot be undone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from augment.core.errors import AugsynthError
from augment.dataset.atomic import write_atomic
from augment.dataset.computed_tasks import ComputedTasks

RUN_RECORD_NAME = "run.json"
DIGEST_BLOCK = 4096  # tasks serialised per step of the digest


def run_record(
    command: dict[str, Any], seed: int, tasks: Sequence[Any], layout: dict[str, Any]
) -> dict[str, Any]:
    """What run.json holds; `layout` is the layout's own fields (none for one file each)."""
    record = {
        "command": command,
        "seed": seed,
        "examples": len(tasks),
        "tasks_sha256": tasks_identity(tasks),
    }
    record.update(layout)
    return record


def tasks_identity(tasks: Sequence[Any]) -> str:
    """sha256 naming the tasks. Computed tasks are named by what computes them (their kind
    and `identity()`: e.g. the charset, the fonts covering each character and the count),
    which costs nothing per task; listed tasks (e.g. aimed by --focus) by their whole list."""
    if isinstance(tasks, ComputedTasks):
        named = {"computed": type(tasks).__name__, **tasks.identity()}
        return hashlib.sha256(json.dumps(named, sort_keys=True).encode()).hexdigest()
    return tasks_digest(tasks)


def tasks_digest(tasks: Sequence[Any]) -> str:
    """sha256 of `json.dumps(list(tasks), sort_keys=True)`, taken a block of tasks at a time
    so a long task sequence is never serialised whole."""
    digest = hashlib.sha256(b"[")
    for start in range(0, len(tasks), DIGEST_BLOCK):
        block = [tasks[i] for i in range(start, min(start + DIGEST_BLOCK, len(tasks)))]
        text = json.dumps(block, sort_keys=True)[1:-1]
        digest.update((", " + text if start else text).encode())
    digest.update(b"]")
    return digest.hexdigest()


def read_run_record(out_dir: Path) -> dict[str, Any] | None:
    """The record in `out_dir`, None if there is none; a damaged one is refused."""
    path = out_dir / RUN_RECORD_NAME
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):  # cut short or edited: it cannot say which run this is
        record = None
    if not isinstance(record, dict):
        raise AugsynthError(
            f"{path}: damaged (not the record this tool writes); use a new --out folder"
        )
    return record


def check_run_record(
    out_dir: Path,
    record: dict[str, Any],
    describe_layout: Callable[[dict[str, Any]], str],
    tasks: Sequence[Any],
) -> None:
    """Write the record, or refuse a run that differs from the one already in `out_dir`.

    `describe_layout(record)` words a record's layout, for a refusal that names it.
    """
    previous = read_run_record(out_dir)
    if previous is None:
        data = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        write_atomic(out_dir / RUN_RECORD_NAME, data.encode())
        return
    _refuse_unless_same(out_dir, previous, record, describe_layout, tasks)


def refuse_other_run(
    out_dir: Path,
    record: dict[str, Any],
    describe_layout: Callable[[dict[str, Any]], str],
    tasks: Sequence[Any],
) -> None:
    """Refuse `out_dir` if it holds a run other than `record`, writing nothing (a dry run
    checks the folder as the real run would, and leaves no record behind)."""
    previous = read_run_record(out_dir)
    if previous is not None:
        _refuse_unless_same(out_dir, previous, record, describe_layout, tasks)


def _refuse_unless_same(
    out_dir: Path,
    previous: dict[str, Any],
    record: dict[str, Any],
    describe_layout: Callable[[dict[str, Any]], str],
    tasks: Sequence[Any],
) -> None:
    """Refuse the run `record` asks for unless `previous` (out_dir's record) is its own."""
    asked = json.loads(json.dumps(record))
    if previous == asked or _older_record_of(previous, asked, tasks):
        return
    held, wanted = describe_layout(previous), describe_layout(record)
    if held != wanted:
        raise AugsynthError(
            f"{out_dir}: holds {held}, this run writes {wanted}; "
            "use a new --out folder (or delete this one)"
        )
    raise AugsynthError(
        f"{out_dir}: holds a run of a different command or seed; "
        "use a new --out folder (or delete this one) to start another run"
    )


def _older_record_of(previous: dict[str, Any], asked: dict[str, Any], tasks: Sequence[Any]) -> bool:
    """Whether `previous` is this run's record as earlier versions wrote it (digest of
    the whole task list), so such folders still resume; checked only when all else agrees."""
    if {**previous, "tasks_sha256": None} != {**asked, "tasks_sha256": None}:
        return False
    return isinstance(tasks, ComputedTasks) and previous["tasks_sha256"] == tasks_digest(tasks)
