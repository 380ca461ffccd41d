"""Run a generation job into a dataset folder: parallel, deterministic, resumable.

Example i is made with the generator from (seed, i) and written to
`<label folder>/<i:07d><suffix>` (layout "files"), or as member group `<i:07d>` of the
WebDataset shard `shards/<i // shard_size:06d>.tar` (layout "shards"), so the bytes do not
depend on the worker count or a resume. Workers write files and shards atomically; the main
process appends manifest rows in index order. A rerun of the same command skips finished
examples (a shard with any unfinished example is remade whole: same bytes); a different
command, seed or layout into the same folder is refused. A bad input is reported on one line
and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Literal, TypeVar

from augment.core.errors import AugsynthError
from augment.core.seeding import example_rng
from augment.core.validation import check_choice, check_int
from augment.dataset.atomic import remove_stale_temporaries, write_atomic
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.labels import label_to_dirname
from augment.dataset.manifest import MANIFEST_NAME, append_row, dumps_row, read_rows
from augment.dataset.shards import (
    group_bytes,
    member_key,
    open_shard,
    read_records,
    shard_relpath,
)

RUN_RECORD_NAME = "run.json"
METADATA_NAME = "metadata.jsonl"
ERRORS_NAME = "errors.jsonl"
UNLABELLED_DIR = "unlabelled"
CHUNK_SIZE = 32
LAYOUTS = ("files", "shards")
DEFAULT_SHARD_SIZE = 5000

Job = TypeVar("Job")
Result = TypeVar("Result")


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


def _make_examples(
    maker: ExampleMaker, seed: int, chunk: list[tuple[int, dict[str, Any]]]
) -> list[Example | str]:
    """The chunk's examples, or an error message in place of each one that failed.

    A maker with `make_batch(tasks, rngs)` makes the chunk in one call (same bytes as one by
    one); if that call fails, the chunk is redone one by one so only the bad input is lost.
    """
    make_batch = getattr(maker, "make_batch", None)
    if make_batch is not None:
        try:
            return make_batch([t for _, t in chunk], [example_rng(seed, i) for i, _ in chunk])
        except Exception:  # redone one by one below, which reports the bad input alone
            pass
    results: list[Example | str] = []
    for index, task in chunk:
        try:
            results.append(maker.make(task, example_rng(seed, index)))
        except AugsynthError as err:
            results.append(str(err))
        except Exception as err:  # a long run reports an unexpected failure and goes on
            where = task.get("source", f"example {index}")
            results.append(f"{where}: {type(err).__name__}: {err}")
    return results


def _make_chunk(
    out_dir: Path, maker: ExampleMaker, seed: int, chunk: list[tuple[int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Make and write a run of examples; returns manifest rows, or error rows."""
    rows = []
    for (index, _), example in zip(chunk, _make_examples(maker, seed, chunk), strict=True):
        if isinstance(example, str):
            rows.append({"index": index, "error": example})
            continue
        try:
            relpath = example_relpath(index, example.label, example.suffix)
            write_atomic(out_dir / relpath, example.data)
        except AugsynthError as err:  # e.g. a label that cannot name a folder
            rows.append({"index": index, "error": str(err)})
            continue
        rows.append(_manifest_row(index, {"file": relpath}, example, seed))
    return rows


ShardJob = tuple[int, list[tuple[int, dict]], frozenset[int]]
Group = tuple[dict[str, Any], bytes | None]  # a manifest (or error) row, the member bytes


def _make_groups(
    maker: ExampleMaker, seed: int, shard_size: int, chunk: list[tuple[int, dict[str, Any]]]
) -> list[Group]:
    """Make a run of examples as encoded shard member groups, with their manifest rows (or
    error rows, without bytes). Runs in the workers; the main process only writes bytes."""
    groups: list[Group] = []
    for (index, _), example in zip(chunk, _make_examples(maker, seed, chunk), strict=True):
        if isinstance(example, str):
            groups.append(({"index": index, "error": example}, None))
            continue
        key = member_key(index)
        location = {"file": shard_relpath(index // shard_size), "key": key}
        row = _manifest_row(index, location, example, seed)
        record = {k: v for k, v in row.items() if k not in location}
        try:
            groups.append((row, group_bytes(key, example, record)))
        except AugsynthError as err:  # a suffix that clashes with the record members
            groups.append(({"index": index, "error": str(err)}, None))
    return groups


def _manifest_row(
    index: int, location: dict[str, str], example: Example, seed: int
) -> dict[str, Any]:
    """Where an example went and how it was made; its columns never overwrite those fields."""
    row = {
        "index": index,
        **location,
        "label": example.label,
        "source": example.source,
        "seed": seed,
        "params": example.params,
    }
    for key, value in example.columns.items():
        row[f"input_{key}" if key in row or key == "file_name" else key] = value
    return row


def _chunks(pending: list[tuple[int, dict]], size: int) -> Iterator[list[tuple[int, dict]]]:
    for start in range(0, len(pending), size):
        yield pending[start : start + size]


def _shard_jobs(
    out_dir: Path, tasks: list[dict[str, Any]], done: set[int], shard_size: int
) -> list[ShardJob]:
    """Every shard whose file is not on disk: (number, its tasks, those the manifest lists).

    A shard file is renamed into place only when complete, so one on disk is final: its
    failed examples are not retried (delete the shard to retry them).
    """
    jobs = []
    for number, start in enumerate(range(0, len(tasks), shard_size)):
        if not (out_dir / shard_relpath(number)).is_file():
            indices = range(start, min(start + shard_size, len(tasks)))
            listed = frozenset(i for i in indices if i in done)
            jobs.append((number, [(i, tasks[i]) for i in indices], listed))
    return jobs


def _shard_rows(
    out_dir: Path,
    jobs: list[ShardJob],
    total: int,
    settled: set[int],
    shard_size: int,
    made: Iterator[list[Group]],
    on_made: Callable[[int], None] | None,
) -> Iterator[list[dict[str, Any]]]:
    """Each shard's rows, in shard order, once the shard is in place.

    Shards in `jobs` are written from `made` (their chunks' groups, in order) and renamed
    when complete; `on_made` counts examples as chunks arrive. A finished shard some of
    whose examples are neither in the manifest nor reported failed (`settled`) lost its rows
    to a kill between its rename and its rows: they are read back from its own records.
    A remade shard (its file was lost) must hold the examples the manifest lists: if one
    fails now, the shard is not written, rather than leave a row naming a missing member.
    """
    remade = {job[0]: job for job in jobs}
    for number, start in enumerate(range(0, total, shard_size)):
        end = min(start + shard_size, total)
        relpath = shard_relpath(number)
        if number in remade:
            _, shard_tasks, listed = remade[number]
            rows = []
            with open_shard(out_dir / relpath) as shard:
                for _ in _chunks(shard_tasks, CHUNK_SIZE):
                    groups = next(made)
                    for row, data in groups:
                        if data is None and row["index"] in listed:
                            raise AugsynthError(
                                f"{out_dir / relpath}: example {row['index']} is in the manifest "
                                f"but failed when its missing shard was remade ({row['error']}); "
                                "start again in a new --out folder"
                            )
                        if data is not None:
                            shard.write(data)
                        rows.append(row)
                    if on_made:
                        on_made(sum(row["index"] not in listed for row, _ in groups))
            yield rows
        elif any(i not in settled for i in range(start, end)):
            rows = [
                {"index": r["index"], "file": relpath, "key": member_key(r["index"]),
                 **{k: v for k, v in r.items() if k != "index"}}
                for r in read_records(out_dir / relpath)
            ]  # fmt: skip
            held = {row["index"] for row in rows}
            rows += [  # failed in that run, whose errors.jsonl was never written
                {"index": i, "error": f"{relpath}: example {i} failed in an interrupted "
                 "earlier run (delete the shard to retry it)"}
                for i in range(start, end)
                if i not in held and i not in settled
            ]  # fmt: skip
            rows.sort(key=lambda r: r["index"])
            if on_made:
                on_made(sum(row["index"] not in settled for row in rows))
            yield rows


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
    check_int("shard_size", shard_size, lo=1)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sharded = layout == "shards"
    layout_record = {"layout": layout, "shard_size": shard_size} if sharded else {}
    _check_run_record(out_dir, command, seed, tasks, layout_record)
    remove_stale_temporaries(out_dir)
    manifest_path = out_dir / MANIFEST_NAME
    done = {row["index"] for row in read_rows(manifest_path)}
    previous_errors: list[dict[str, Any]] = []
    if sharded:
        jobs = _shard_jobs(out_dir, tasks, done, shard_size)
        remade = {number for number, _, _ in jobs}
        previous_errors = [  # failures inside final shards stay reported
            e for e in read_rows(out_dir / ERRORS_NAME) if e["index"] // shard_size not in remade
        ]
        chunks = [chunk for _, shard_tasks, _ in jobs for chunk in _chunks(shard_tasks, CHUNK_SIZE)]
        made = _map(partial(_make_groups, maker, seed, shard_size), chunks, workers)
        failed = {e["index"] for e in previous_errors}
        results = _shard_rows(
            out_dir, jobs, len(tasks), done | failed, shard_size, made, on_progress
        )
        settled = len(done) + len(failed)
    else:
        pending = [(i, task) for i, task in enumerate(tasks) if i not in done]
        results = _map(
            partial(_make_chunk, out_dir, maker, seed), _file_chunks(pending, workers), workers
        )
        settled = len(done)
    summary = RunSummary(out_dir, len(tasks), 0, len(done))
    if on_progress and settled:
        on_progress(settled)

    errors: list[dict[str, Any]] = []
    with open(manifest_path, "a", encoding="utf-8") as manifest:
        try:
            for made in results:
                rows = [r for r in made if "error" in r or r["index"] not in done]
                for row in rows:
                    if "error" not in row:
                        append_row(manifest, row)
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
    if not sharded:
        write_metadata(out_dir)
    return summary


def _file_chunks(pending: list[tuple[int, dict]], workers: int) -> list[list[tuple[int, dict]]]:
    """Chunks small enough to keep every worker busy to the end, at most CHUNK_SIZE."""
    if workers <= 1 or len(pending) <= CHUNK_SIZE:
        return list(_chunks(pending, CHUNK_SIZE))
    return list(_chunks(pending, max(1, min(CHUNK_SIZE, len(pending) // (workers * 4) or 1))))


def _map(work: Callable[[Job], Result], jobs: list[Job], workers: int) -> Iterator[Result]:
    """Results of `work` per job, in job order; in worker processes when there are several."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(work, jobs)
        return
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("fork"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            yield from pool.map(work, jobs)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _exit_with_parent(parent: int) -> None:
    """Worker start-up: exit once the main process is gone (e.g. killed with SIGKILL), rather
    than wait forever on a task queue the other workers keep open, or race a rerun."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _write_errors(out_dir: Path, errors: list[dict[str, Any]]) -> None:
    path = out_dir / ERRORS_NAME
    if errors:
        write_atomic(path, "".join(dumps_row(e) + "\n" for e in errors).encode("utf-8"))
    elif path.exists():
        path.unlink()


def write_metadata(out_dir: Path) -> Path:
    """Write Hugging Face imagefolder/audiofolder metadata derived from the manifest."""
    rows = sorted(read_rows(out_dir / MANIFEST_NAME), key=lambda r: r["index"])
    lines = []
    for row in rows:
        columns = {k: v for k, v in row.items() if k not in ("index", "file", "seed", "params")}
        lines.append(dumps_row({"file_name": row["file"], **columns}) + "\n")
    path = out_dir / METADATA_NAME
    write_atomic(path, "".join(lines).encode("utf-8"))
    return path
