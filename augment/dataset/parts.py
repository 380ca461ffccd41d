"""A run made in parts (`--shard I/N`): part I of N makes one contiguous stretch of the
index range into the same OUT, alongside the other parts (on other machines sharing the
file system), so any job scheduler can split a run without a cluster engine.

Each part keeps its rows in OUT/parts/I-of-N/ (manifest, errors, a lock held while it runs
and a mark once it has finished) and writes its examples where a one-part run puts them;
`augment.dataset.merge` joins the parts' rows once every part has finished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from augment.core.errors import AugsynthError, ConfigError
from augment.dataset.out_folder import LOCK_NAME, hold_lock

PARTS_DIR = "parts"
FINISHED_NAME = "finished"  # in a part's folder once its examples are all made
PART_FOLDER = re.compile(r"(\d+)-of-(\d+)")
# Worker processes share their parent's lock and outlive it by up to a second (they see it
# gone, or finish their job): a part rerun at once after a kill waits for them this long.
WORKERS_EXIT_WAIT = 10.0


@dataclass(frozen=True)
class Part:
    """Part `number` (counted from 0) of `count`."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if not 0 <= self.number < self.count:
            raise ConfigError("--shard", f"expected I/N with 0 <= I < N, got {self}")

    @classmethod
    def parse(cls, text: str) -> Part:
        """'I/N' (e.g. $SLURM_ARRAY_TASK_ID/4) as a Part."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if match is None:
            raise ConfigError("--shard", f"expected I/N (part I of N, from 0), got {text!r}")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def span(self, count: int) -> range:
        """This part's even share of `count` consecutive items."""
        return range(count * self.number // self.count, count * (self.number + 1) // self.count)


def part_dir(out_dir: Path, part: Part) -> Path:
    return out_dir / PARTS_DIR / f"{part.number}-of-{part.count}"


def parts_count(out_dir: Path) -> int | None:
    """The N of the parts OUT is being made in, None if it is not made in parts."""
    folder = out_dir / PARTS_DIR
    if not folder.is_dir():
        return None
    counts = {int(m[2]) for e in folder.iterdir() if (m := PART_FOLDER.fullmatch(e.name))}
    if len(counts) > 1:
        raise AugsynthError(f"{folder}: holds parts of runs split {sorted(counts)} ways")
    return counts.pop() if counts else None


def start_part(out_dir: Path, part: Part) -> int:
    """Take `part`'s folder for this process (under OUT's lock): the descriptor holding its
    lock. Refused if OUT is being made in another number of parts, or the part runs."""
    count = parts_count(out_dir)
    if count is not None and count != part.count:
        raise AugsynthError(
            f"{out_dir}: is being made in {count} parts ({out_dir / PARTS_DIR}); "
            f"this run asks for --shard {part}"
        )
    folder = part_dir(out_dir, part)
    folder.mkdir(parents=True, exist_ok=True)
    busy = f"{out_dir}: part {part} is already running"
    handle = hold_lock(folder / LOCK_NAME, busy, wait=WORKERS_EXIT_WAIT)
    (folder / FINISHED_NAME).unlink(missing_ok=True)  # running again: not finished now
    return handle


def finish_part(out_dir: Path, part: Part) -> None:
    """Mark `part` finished (its rows and errors are written)."""
    (part_dir(out_dir, part) / FINISHED_NAME).touch()


def refuse_parts(out_dir: Path) -> None:
    """A one-part run into a folder being made in parts would make their examples twice."""
    count = parts_count(out_dir)
    if count is not None:
        raise AugsynthError(
            f"{out_dir}: is being made in {count} parts ({out_dir / PARTS_DIR}); run the "
            f"missing ones with --shard I/{count}, or `augment merge {out_dir}` once all "
            "have finished"
        )
