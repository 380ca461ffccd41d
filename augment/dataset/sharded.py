"""The shards layout of a run: which shards to make, workers making their member groups,
the main process writing each shard in order and reading back what a kill left unrecorded.

A shard file is renamed into place only when complete, so one on disk is final.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from augment.core.errors import AugsynthError
from augment.dataset.example import ExampleMaker
from augment.dataset.making import CHUNK_SIZE, chunks, make_examples, manifest_row
from augment.dataset.shards import (
    group_bytes,
    member_key,
    open_shard,
    read_records,
    shard_relpath,
)

ShardJob = tuple[int, list[tuple[int, dict]], frozenset[int]]
Group = tuple[dict[str, Any], bytes | None]  # a manifest (or error) row, the member bytes


def make_groups(
    maker: ExampleMaker, seed: int, shard_size: int, chunk: list[tuple[int, dict[str, Any]]]
) -> list[Group]:
    """Make a run of examples as encoded shard member groups, with their manifest rows (or
    error rows, without bytes). Runs in the workers; the main process only writes bytes."""
    groups: list[Group] = []
    for (index, _), example in zip(chunk, make_examples(maker, seed, chunk), strict=True):
        if isinstance(example, str):
            groups.append(({"index": index, "error": example}, None))
            continue
        key = member_key(index)
        location = {"file": shard_relpath(index // shard_size), "key": key}
        row = manifest_row(index, location, example, seed)
        record = {k: v for k, v in row.items() if k not in location}
        try:
            groups.append((row, group_bytes(key, example, record)))
        except AugsynthError as err:  # a suffix that clashes with the record members
            groups.append(({"index": index, "error": str(err)}, None))
    return groups


def shard_jobs(
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


def shard_rows(
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
                for _ in chunks(shard_tasks, CHUNK_SIZE):
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
