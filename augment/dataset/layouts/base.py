"""What a dataset layout is: where examples go in OUT, what a resumed run skips, and how
the made examples become manifest rows. The writer drives any layout the same way."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from augment.dataset.example import ExampleMaker
from augment.dataset.index_ranges import IndexRanges
from augment.dataset.making import Listed
from augment.dataset.parts import Part
from augment.dataset.pool import Executor

Row = dict[str, Any]  # a manifest row, or an error row ({"index", "error"})


@dataclass(frozen=True)
class WriteJob:
    """One run into OUT as a layout sees it: the tasks, how to make them, the indices this
    run (or part) makes, what earlier runs of the same command left there (the indices
    done, the error rows), and whether this is a part of a run made in parts (its rows go
    to the part's folder until the merge)."""

    out_dir: Path
    tasks: Sequence[dict[str, Any]]
    maker: ExampleMaker
    seed: int
    span: range
    done: IndexRanges
    previous_errors: list[Row]
    in_parts: bool = False


@dataclass(frozen=True)
class Batch:
    """Rows ready for the manifest (errors among them), in index order, with how many
    examples this step finished; rows may lag behind (a shard is listed once it is whole)."""

    rows: list[Listed]
    finished: int


class LayoutPass(Protocol):
    """A layout at work on one `WriteJob`."""

    settled: int  # examples already done or failed for good: progress starts there
    earlier_errors: list[Row]  # error rows of earlier runs that still stand

    def batches(self, executor: Executor) -> Iterator[Batch]:
        """Make what is missing with `executor`; every row not in the manifest yet, once."""
        ...


@runtime_checkable
class Layout(Protocol):
    """How a run's examples sit in OUT; kept in run.json so a rerun must use the same one."""

    def record(self) -> dict[str, Any]:
        """The layout's fields in run.json."""
        ...

    def describe(self) -> str:
        """The layout in words, for a refusal that names it."""
        ...

    def start(self, job: WriteJob) -> LayoutPass:
        """Plan `job`: what is done, what is left, what earlier failures still stand."""
        ...

    def span(self, total: int, part: Part) -> range:
        """The indices `part` of a run of `total` examples makes (contiguous; the parts in
        order cover the range), so that the parts write what one run writes."""
        ...

    def owns(self, name: str, span: range) -> bool:
        """Whether the file `name` (an example's or a shard's) holds examples of `span`."""
        ...

    def finish(self, out_dir: Path) -> None:
        """Write what the layout derives from the finished manifest."""
        ...
