"""The shards layout: example i is member group `<i:07d>` of the WebDataset tar
`shards/<i // size:06d>.tar` (format in `augment.dataset.tar`).

Workers make and encode member groups and write each job's groups to a piece file beside
its shard (a temporary, `piece_path`); the main process splices the pieces into each shard
in order (copied by the kernel: the encoded bytes are no longer pickled back to it) and
deletes them, and a thread syncs each shard and renames it into place once complete while
the next one is written, so a shard on disk is final: a rerun makes only the missing
shards, keeps reporting the failed examples of finished ones (delete a shard to retry
them), and reads back the rows a kill lost between a shard's rename and its rows. Pieces
of a killed run are temporaries: the rerun deletes them.
No metadata.parquet: imagefolder readers need the files.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import tee
from pathlib import Path
from typing import Any, ClassVar

from augment.core.errors import AugsynthError
from augment.core.validation import check_int
from augment.dataset.atomic import TMP_MARK, target_name, temporary_sibling
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.layouts.base import Batch, WriteJob
from augment.dataset.making import Listed, failure, listed, manifest_row, place_examples
from augment.dataset.parts import Part
from augment.dataset.pool import SMALL_RUN, Chunk, Executor, job_size, measured_pace
from augment.dataset.tar import ShardFile, file_member, group_bytes, member_key, read_records

SHARDS_DIR = "shards"
DEFAULT_SHARD_SIZE = 5000
Group = tuple[Listed, bytes | None]  # a manifest (or error) row, the member bytes
Made = tuple[list[Listed], Path | None]  # a job's rows (errors among them), its piece file


def shard_relpath(number: int) -> str:
    return f"{SHARDS_DIR}/{number:06d}.tar"


@dataclass(frozen=True)
class ShardsLayout:
    """WebDataset tar shards of `size` examples each."""

    size: int = DEFAULT_SHARD_SIZE
    name: ClassVar[str] = "shards"

    def __post_init__(self) -> None:
        check_int("shard_size", self.size, lo=1)

    def record(self) -> dict[str, Any]:
        return {"layout": self.name, "shard_size": self.size}

    def describe(self) -> str:
        return f"shards of {self.size} examples"

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ShardsLayout:
        return cls(record["shard_size"])

    def start(self, job: WriteJob) -> ShardsPass:
        return ShardsPass(job, self.size)

    def span(self, total: int, part: Part) -> range:
        """Whole shards: a part's shards are byte for byte those of a one-part run."""
        shards = part.span(-(-total // self.size))
        return range(min(shards.start * self.size, total), min(shards.stop * self.size, total))

    def owns(self, name: str, span: range) -> bool:
        stem, _, suffix = name.partition(".")
        return suffix == "tar" and stem.isdigit() and int(stem) * self.size in span

    def finish(self, out_dir: Path) -> None:
        """Nothing: a shard holds its own records."""


@dataclass(frozen=True)
class Piece:
    """One job of a shard being made: its examples, and whether the shard ends with it."""

    shard: int
    indices: range
    last: bool


class ShardsPass:
    """Makes the missing shards and lists the examples of finished ones."""

    def __init__(self, job: WriteJob, size: int) -> None:
        self.job = job
        self.size = size
        self.numbers = range(job.span.start // size, -(-job.span.stop // size))
        self.missing = [
            number for number in self.numbers if not (job.out_dir / shard_relpath(number)).is_file()
        ]
        remade = set(self.missing)
        self.earlier_errors = [  # failures inside final shards stay reported
            e for e in job.previous_errors if e["index"] // size not in remade
        ]
        self.settled_indices = job.done.copy()
        for error in self.earlier_errors:
            self.settled_indices.add(error["index"])
        self.settled = self.settled_indices.count_in(job.span)

    def batches(self, executor: Executor) -> Iterator[Batch]:
        """Each shard's new rows in shard order, once the shard is in place."""
        job = self.job
        work = partial(make_piece, job.maker, job.seed, self.size, job.out_dir)
        planned, placed = tee(self._pieces(executor.workers, measured_pace(executor)))
        jobs = ([(i, job.tasks[i]) for i in piece.indices] for piece in planned)
        results = executor.map(work, jobs)
        made = zip(placed, results, strict=True)
        try:
            yield from self._write_shards(made)
        except BaseException:
            getattr(results, "close", lambda: None)()  # stop the workers, then drop their pieces
            raise
        finally:
            self._remove_pieces()

    def _write_shards(self, made: Iterator[tuple[Piece, Made]]) -> Iterator[Batch]:
        remade = set(self.missing)
        with ThreadPoolExecutor(1) as sealer:  # a shard syncs while the next one is written
            sealing: deque[tuple[Future, list[Listed]]] = deque()
            for number in self.numbers:
                indices = self._indices(number)
                if number in remade:
                    yield from self._write_shard(number, made, sealer, sealing)
                    while len(sealing) > 1:
                        yield _in_place(sealing.popleft())
                elif self.settled_indices.count_in(indices) < len(indices):
                    while sealing:
                        yield _in_place(sealing.popleft())
                    yield self._read_back(number)
            while sealing:
                yield _in_place(sealing.popleft())
        next(made, None)  # every piece is used: this ends the executor's map (and its pool)

    def _pieces(
        self, workers: int, pace: Callable[[], float | None] = lambda: None
    ) -> Iterator[Piece]:
        """The jobs of the missing shards, in order, sized as the files layout sizes its
        jobs (`job_size`: CHUNK_SIZE examples, more once the `pace` shows they are quick,
        fewer in the first job and near the end of the run; the bytes do not depend on it),
        each drawn when its job is made, each shard cut evenly (100 examples as
        4 x 25, not 3 x 32 + 4: a job of 4 cost its worker and the main process a round trip
        for little work)."""
        left = total = sum(len(self._indices(number)) for number in self.missing)
        if left <= SMALL_RUN:  # one job, made without forking, as in the files layout
            workers = 1
        for number in self.missing:
            indices = self._indices(number)
            first = indices.start
            while first < indices.stop:
                rest = indices.stop - first
                size = job_size(left, workers, first=left == total, pace=pace())
                step = -(-rest // -(-rest // size))
                yield Piece(number, range(first, first + step), first + step == indices.stop)
                first += step
                left -= step

    def _remove_pieces(self) -> None:
        """Delete the pieces of this run's missing shards left unspliced: by this run if it
        failed, or by an orphaned worker of a killed run that wrote its last piece after this
        run's start-up cleanup (what a worker still writes later, the next run deletes)."""
        folder = self.job.out_dir / SHARDS_DIR
        missing = {shard_relpath(number).rpartition("/")[2] for number in self.missing}
        for path in folder.glob(f".*{TMP_MARK}*{PIECE_MARK}*") if folder.is_dir() else ():
            if target_name(path.name) in missing:
                path.unlink(missing_ok=True)

    def _indices(self, number: int) -> range:
        return range(number * self.size, min((number + 1) * self.size, len(self.job.tasks)))

    def _write_shard(
        self,
        number: int,
        made: Iterator[tuple[Piece, Made]],
        sealer: ThreadPoolExecutor,
        sealing: deque[tuple[Future, list[Listed]]],
    ) -> Iterator[Batch]:
        """Write shard `number` from its pieces' groups, then hand it to `sealer` (sync and
        rename, while the main process goes on with the next shard); its rows wait in
        `sealing` until it is in place.

        A remade shard (its file was lost) must hold the examples the manifest lists: if one
        fails now, the shard is not written, rather than leave a row naming a missing member.
        """
        done = self.job.done
        shard = ShardFile(self.job.out_dir / shard_relpath(number))
        rows: list[Listed] = []
        try:
            last = False
            while not last:
                piece, (entries, piece_file) = next(made)
                last = piece.last
                for entry in entries:
                    if entry.error is not None and entry.example in done:
                        raise AugsynthError(
                            f"{shard.path}: example {entry.example} is in the manifest but "
                            f"failed when its missing shard was remade ({entry.error}); "
                            "start again in a new --out folder"
                        )
                if piece_file is not None:
                    shard.splice(piece_file)
                new = [entry for entry in entries if entry.example not in done]
                rows += new
                yield Batch([], len(new))
        except BaseException:
            shard.discard()
            raise
        sealing.append((sealer.submit(shard.seal), rows))

    def _read_back(self, number: int) -> Batch:
        """The rows of a finished shard that the manifest lost to a kill, from its records;
        its examples that are in neither (failed in that run) become error rows."""
        relpath = shard_relpath(number)
        settled = self.settled_indices
        rows = [
            listed({"index": r["index"], "file": relpath, "key": member_key(r["index"]),
                    **{k: v for k, v in r.items() if k != "index"}})
            for r in read_records(self.job.out_dir / relpath)
        ]  # fmt: skip
        held = {row.example for row in rows}
        rows += [  # failed in that run, whose errors.jsonl was never written
            failure({"index": i, "error": f"{relpath}: example {i} failed in an interrupted "
                     "earlier run (delete the shard to retry it)"})
            for i in self._indices(number)
            if i not in held and i not in settled
        ]  # fmt: skip
        new = sorted((row for row in rows if row.example not in settled), key=lambda r: r.example)
        return Batch(new, len(new))


def _in_place(sealing: tuple[Future, list[Listed]]) -> Batch:
    """A shard's rows, once its sync and rename have finished."""
    future, rows = sealing
    future.result()  # a failed sync or rename stops the run here
    return Batch(rows, 0)


PIECE_MARK = ".piece-"  # after a shard's temporary name: a piece of it (`piece_path`)


def piece_path(out_dir: Path, size: int, first: int) -> Path:
    """Where the job starting at example `first` writes its members: a temporary of its
    shard named by this process and the job (a retried job never writes into another's)."""
    shard = temporary_sibling(out_dir / shard_relpath(first // size))
    return shard.with_name(f"{shard.name}{PIECE_MARK}{member_key(first)}")


def make_piece(maker: ExampleMaker, seed: int, size: int, out_dir: Path, chunk: Chunk) -> Made:
    """Make a chunk (in a worker) and write its member groups to its piece file; its rows,
    and the piece (None when every example failed)."""
    groups = make_groups(maker, seed, size, chunk)
    members = [data for _, data in groups if data is not None]
    rows = [entry for entry, _ in groups]
    if not members:
        return rows, None
    path = piece_path(out_dir, size, chunk[0][0])
    try:
        handle = open(path, "wb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:  # before the main process made the shards folder
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "wb")  # noqa: SIM115 (closed below)
    with handle:
        handle.writelines(members)
    return rows, path


def make_groups(maker: ExampleMaker, seed: int, size: int, chunk: Chunk) -> list[Group]:
    """Make a chunk of examples as encoded member groups with their manifest rows (or error
    rows, without bytes)."""

    def place(index: int, example: Example) -> Group:
        key = member_key(index)
        location = {"file": shard_relpath(index // size), "key": key}
        if example.files:  # each file's column names its member
            named = {c: file_member(key, c, suffix) for c, (suffix, _) in example.files.items()}
            example = dataclasses.replace(example, columns={**example.columns, **named})
        row = manifest_row(index, location, example, seed)
        record = {k: v for k, v in row.items() if k not in location}
        data = group_bytes(key, example, record)  # refuses a suffix the members use
        return listed(row), data

    return place_examples(maker, seed, chunk, place, failed=lambda row: (failure(row), None))
