"""Run a generation job into a dataset folder: parallel, deterministic, resumable.

Example i is made with the generator from (seed, i) and written to
`<label folder>/<i:07d><suffix>` (layout "files"), or as member group `<i:07d>` of the
WebDataset shard `shards/<i // shard_size:06d>.tar` (layout "shards"), so the bytes do not
depend on the worker count or a resume. Workers write files and shards atomically; the main
process appends manifest rows in index order. A rerun of the same command skips finished
examples (and finished shards: a shard on disk is final); a different command, seed or
layout into the same folder is refused. A bad input is reported on one line
and the run goes on. Making examples is in `making`, the shards layout's steps in `sharded`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from augment.core.errors import AugsynthError
from augment.core.validation import check_choice, check_int
from augment.dataset.atomic import remove_stale_temporaries, write_atomic
from augment.dataset.example import ExampleMaker
from augment.dataset.labels import label_to_dirname
from augment.dataset.making import CHUNK_SIZE, chunks, make_examples, manifest_row, map_jobs
from augment.dataset.manifest import MANIFEST_NAME, append_row, dumps_row, read_rows
from augment.dataset.sharded import make_groups, shard_jobs, shard_rows

RUN_RECORD_NAME = "run.json"
METADATA_NAME = "metadata.jsonl"
ERRORS_NAME = "errors.jsonl"
UNLABELLED_DIR = "unlabelled"
LAYOUTS = ("files", "shards")
DEFAULT_SHARD_SIZE = 5000
MAX_SEED = 2**63 - 1  # rows record the seed as a JSON integer, 64-bit in most readers


@dataclass
class RunSummary:
    """What a run did, for the CLI to print."""

    out_dir: Path
    total: int
    written: int
    already_done: int
    errors: list[str] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST_NAME


def example_relpath(index: int, label: str | None, suffix: str) -> str:
    folder = UNLABELLED_DIR if label is None else label_to_dirname(label)
    return f"{folder}/{index:07d}{suffix}"


def _check_run_record(
    out_dir: Path, command: dict[str, Any], seed: int, tasks: list, layout: dict[str, Any]
) -> None:
    """Record the run, or refuse one that differs from the run already in `out_dir`.

    `layout` is empty for the files layout, so folders written before shards existed resume.
    """
    digest = hashlib.sha256(json.dumps(tasks, sort_keys=True).encode()).hexdigest()
    record = {"command": command, "seed": seed, "examples": len(tasks), "tasks_sha256": digest}
    record.update(layout)
    path = out_dir / RUN_RECORD_NAME
    if path.exists():
        previous = json.loads(path.read_text(encoding="utf-8"))
        if previous != json.loads(json.dumps(record)):
            if _layout_words(previous) != _layout_words(record):
                raise AugsynthError(
                    f"{out_dir}: holds {_layout_words(previous)}, this run writes "
                    f"{_layout_words(record)}; use a new --out folder (or delete this one)"
                )
            raise AugsynthError(
                f"{out_dir}: holds a run of a different command or seed; "
                "use a new --out folder (or delete this one) to start another run"
            )
        return
    write_atomic(path, (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode())


def _layout_words(record: dict[str, Any]) -> str:
    if record.get("layout") == "shards":
        return f"shards of {record['shard_size']} examples"
    return "one file per example"


def _make_chunk(
    out_dir: Path, maker: ExampleMaker, seed: int, chunk: list[tuple[int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Make and write a run of examples; returns manifest rows, or error rows."""
    rows = []
    for (index, _), example in zip(chunk, make_examples(maker, seed, chunk), strict=True):
        if isinstance(example, str):
            rows.append({"index": index, "error": example})
            continue
        try:
            relpath = example_relpath(index, example.label, example.suffix)
            write_atomic(out_dir / relpath, example.data)
        except AugsynthError as err:  # e.g. a label that cannot name a folder
            rows.append({"index": index, "error": str(err)})
            continue
        rows.append(manifest_row(index, {"file": relpath}, example, seed))
    return rows


def run_generation(
    out_dir: str | Path,
    tasks: list[dict[str, Any]],
    maker: ExampleMaker,
    *,
    seed: int,
    workers: int = 1,
    command: dict[str, Any],
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    layout: Literal["files", "shards"] = "files",
    shard_size: int = DEFAULT_SHARD_SIZE,
) -> RunSummary:
    """Make every task's example into `out_dir`, resuming a previous run of the same command.

    `command` identifies the job (name and options); `on_progress(n)` is called as n more
    examples finish, `on_error(message)` for each bad input. `layout="shards"` writes
    WebDataset tar shards of `shard_size` examples instead of one file per example (no
    metadata.jsonl then: imagefolder readers need the files); the run record keeps the layout.
    Workers make examples in chunks; the main process writes each shard and renames it into
    place when complete. A shard on disk is final: a rerun makes only missing shards and
    keeps reporting the failed examples of finished ones.
    """
    check_choice("layout", layout, LAYOUTS)
    check_int("seed", seed, lo=0, hi=MAX_SEED)
    check_int("shard_size", shard_size, lo=1)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sharded = layout == "shards"
    layout_record = {"layout": layout, "shard_size": shard_size} if sharded else {}
    _check_run_record(out_dir, command, seed, tasks, layout_record)
    remove_stale_temporaries(out_dir)
    manifest_path = out_dir / MANIFEST_NAME
    previous_rows = read_rows(manifest_path)
    done = {row["index"] for row in previous_rows}
    # the files layout's metadata.jsonl is derived from the manifest: kept here, not reread
    metadata = None if sharded else {row["index"]: metadata_row(row) for row in previous_rows}
    previous_errors: list[dict[str, Any]] = []
    if sharded:
        jobs = shard_jobs(out_dir, tasks, done, shard_size)
        remade = {number for number, _, _ in jobs}
        previous_errors = [  # failures inside final shards stay reported
            e for e in read_rows(out_dir / ERRORS_NAME) if e["index"] // shard_size not in remade
        ]
        shard_chunks = [c for _, shard_tasks, _ in jobs for c in chunks(shard_tasks, CHUNK_SIZE)]
        made = map_jobs(partial(make_groups, maker, seed, shard_size), shard_chunks, workers)
        failed = {e["index"] for e in previous_errors}
        results = shard_rows(
            out_dir, jobs, len(tasks), done | failed, shard_size, made, on_progress
        )
        settled = len(done) + len(failed)
    else:
        pending = [(i, task) for i, task in enumerate(tasks) if i not in done]
        results = map_jobs(
            partial(_make_chunk, out_dir, maker, seed), _file_chunks(pending, workers), workers
        )
        settled = len(done)
    summary = RunSummary(out_dir, len(tasks), 0, len(done))
    if on_progress and settled:
        on_progress(settled)

    errors: list[dict[str, Any]] = []
    with open(manifest_path, "a", encoding="utf-8") as manifest:
        try:
            for result in results:
                rows = [r for r in result if "error" in r or r["index"] not in done]
                for row in rows:
                    if "error" not in row:
                        append_row(manifest, row)
                        if metadata is not None:
                            metadata[row["index"]] = metadata_row(row)
                        summary.written += 1
                        continue
                    errors.append(row)
                    summary.errors.append(row["error"])
                    if on_error:
                        on_error(row["error"])
                if on_progress and not sharded:  # shards report examples as chunks arrive
                    on_progress(len(rows))
        finally:
            os.fsync(manifest.fileno())
    _write_errors(out_dir, sorted(previous_errors + errors, key=lambda e: e["index"]))
    if metadata is not None:
        write_metadata(out_dir, metadata)
    return summary


def _file_chunks(pending: list[tuple[int, dict]], workers: int) -> list[list[tuple[int, dict]]]:
    """Chunks small enough to keep every worker busy to the end, at most CHUNK_SIZE."""
    if workers <= 1 or len(pending) <= CHUNK_SIZE:
        return list(chunks(pending, CHUNK_SIZE))
    return list(chunks(pending, max(1, min(CHUNK_SIZE, len(pending) // (workers * 4) or 1))))


def _write_errors(out_dir: Path, errors: list[dict[str, Any]]) -> None:
    path = out_dir / ERRORS_NAME
    if errors:
        write_atomic(path, "".join(dumps_row(e) + "\n" for e in errors).encode("utf-8"))
    elif path.exists():
        path.unlink()


def metadata_row(row: dict[str, Any]) -> dict[str, Any]:
    """A manifest row as a Hugging Face imagefolder/audiofolder metadata row."""
    columns = {k: v for k, v in row.items() if k not in ("index", "file", "seed", "params")}
    return {"file_name": row["file"], **columns}


def write_metadata(out_dir: Path, rows: dict[int, dict[str, Any]]) -> Path:
    """Write metadata.jsonl: the metadata rows in index order."""
    lines = [dumps_row(rows[index]) + "\n" for index in sorted(rows)]
    path = out_dir / METADATA_NAME
    write_atomic(path, "".join(lines).encode("utf-8"))
    return path
