"""What every command shares: options, one-line errors, the run with a progress bar and
its summary lines."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as ProgressBar

from augment.cli.progress_lines import ProgressLines
from augment.core.errors import AugsynthError, ConfigError
from augment.core.validation import as_range
from augment.dataset.example import ExampleMaker
from augment.dataset.layouts import FilesLayout, Layout, ShardsLayout
from augment.dataset.parts import Part
from augment.dataset.pool import Executor
from augment.dataset.writer import ERRORS_NAME, Progress, Run, RunSummary, write_dataset

stderr = Console(stderr=True)

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output dataset folder.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed: same seed, same bytes.")]


def available_cores() -> int:
    """The cores this process may run on (its affinity: what a container, taskset or a
    Slurm allocation gives it, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


DEFAULT_WORKERS = available_cores()
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Worker processes (output does not change). Default: the cores available.",
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="I/N",
        help="Make only part I (from 0) of N of the examples into OUT, e.g. one task of a "
        "Slurm array (--shard $SLURM_ARRAY_TASK_ID/N); the N parts may run at once on "
        "machines sharing OUT. The last part to finish joins them into the bytes one run "
        "writes (or `augment merge OUT`).",
    ),
]
PreviewOpt = Annotated[
    int,
    typer.Option("--preview", min=0, help="Also write OUT/preview.png showing this many examples."),
]
PreviewHtmlOpt = Annotated[
    bool,
    typer.Option(
        "--preview-html",
        help="Also write OUT/preview.html: the preview with players for audio, its files "
        "in OUT/preview/.",
    ),
]
DryRunOpt = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Write only the preview (a small one unless --preview says) and print how "
        "many examples the run would make and an estimate of their size; nothing else is "
        "written, and the same command without --dry-run then runs as usual.",
    ),
]
ShardsOpt = Annotated[
    int | None,
    typer.Option(
        "--shards",
        min=1,
        metavar="SIZE",
        help="Write WebDataset tar shards of SIZE examples (OUT/shards/000000.tar, ...) "
        "instead of one file per example: faster for large runs. A shard appears once it "
        "is complete, and a finished shard is final: delete it to redo it.",
    ),
]

ExecutorOpt = Annotated[
    str,
    typer.Option(
        "--executor",
        metavar="local|dask",
        help="Where examples are made: local worker processes, or the workers of a Dask "
        "cluster (--scheduler; needs pip install 'augsynth\\[dask]'). Output does not change.",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDR",
        help="With --executor dask: the scheduler's address, e.g. tcp://head:8786 (default: "
        "DASK_SCHEDULER_ADDRESS). Its workers must see IN and OUT at the same paths.",
    ),
]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to stderr and exit non-zero."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn toolkit errors and Ctrl-C into one-line messages with non-zero exit codes."""
    try:
        yield
    except AugsynthError as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail("interrupted; run the same command again to resume", 130)


def parse_range(name: str, text: str) -> tuple[float, float]:
    """'LO:HI' (or a single number) as a checked pair of floats; errors name the option."""
    return as_range(name, text)


def part_option(shard: str | None) -> Part | None:
    """The part --shard I/N asks for (checked), None without it."""
    return None if shard is None else Part.parse(shard)


def shows_preview(run: Run) -> bool:
    """Whether this run writes the preview: not every part of a run made in parts (part 0
    does), since two machines would write the same file at once."""
    return run.part is None or run.part.number == 0


def layout_option(shards: int | None) -> Layout:
    """The layout the --shards SIZE option asks for: None writes one file per example."""
    return ShardsLayout(shards) if shards else FilesLayout()


def executor_option(
    executor: str, scheduler: str | None, shared: Sequence[Path | None] = ()
) -> Executor | None:
    """The executor --executor and --scheduler ask for; None means local worker processes.
    A cluster's workers must see the `shared` paths given (IN, OUT, ...; None is skipped)."""
    if executor not in ("local", "dask"):
        raise ConfigError("--executor", f"expected local or dask, got {executor!r}")
    if executor == "local":
        if scheduler is not None:
            raise ConfigError("--scheduler", "needs --executor dask")
        return None
    from augment.dataset.dask_executor import DaskExecutor, default_scheduler

    paths = [path for path in shared if path is not None]
    return DaskExecutor(scheduler or default_scheduler(), shared=paths)


@contextmanager
def closing(executor: Executor | None) -> Iterator[None]:
    """Close the cluster connection an executor opened, however the run ends."""
    try:
        yield
    finally:
        close = getattr(executor, "close", None)
        if close is not None:
            close()


def run_with_progress(
    out: Path,
    tasks: Sequence[dict[str, Any]],
    maker: ExampleMaker,
    *,
    run: Run,
    layout: Layout,
    description: str,
    on_claimed: Callable[[], None] = lambda: None,
) -> RunSummary:
    """Write the dataset with a progress bar, then print where everything went.

    `on_claimed` runs once OUT is this run's (e.g. to write a preview first). A run in
    which every example failed is an error (exit 1), never a success that wrote nothing.
    """
    bar = ProgressBar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(show_speed=True),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,  # logs and pipes get a line every few seconds
    )
    total = len(tasks) if run.part is None else len(layout.span(len(tasks), run.part))
    lines = None if stderr.is_terminal else ProgressLines(description, total)

    def advance(n: int, made: bool = True) -> None:
        bar.advance(task, n)
        if lines is not None:
            lines.advance(n, made)

    with bar, closing(run.executor):
        task = bar.add_task(description, total=total)
        progress = Progress(
            advance=advance,
            resumed=lambda n: advance(n, made=False),
            error=lambda message: bar.console.print(  # one line, however long
                f"skipped {message}", markup=False, soft_wrap=True
            ),
            claimed=on_claimed,
        )
        summary = write_dataset(out, tasks, maker, run=run, layout=layout, progress=progress)
    _say_done(out, summary, run.part)
    if summary.errors:
        print(
            f"{len(summary.errors)} inputs skipped, listed in {out / ERRORS_NAME}",
            file=sys.stderr,
        )
    if summary.total and not (summary.written or summary.already_done):
        fail(f"{out}: every example failed, nothing was written (see {ERRORS_NAME})")
    return summary


def _say_done(out: Path, summary: RunSummary, part: Part | None) -> None:
    """What was written, and for a part whether it was the last (and merged the parts)."""
    resumed = f" ({summary.already_done} already done)" if summary.already_done else ""
    print(f"wrote {summary.written} examples to {out}{resumed}; manifest: {summary.manifest}")
    if part is not None:
        joined = "all parts finished: merged them" if summary.merged else "other parts to come"
        print(f"part {part} finished; {joined}")


FocusOpt = Annotated[
    Path | None,
    typer.Option(
        "--focus",
        help="focus.yaml from `augment errors`: the same number of examples, aimed at the "
        "classes, confusions and slices the errors point at; each row's focus_reason says why.",
    ),
]
FocusFloorOpt = Annotated[
    float,
    typer.Option(
        "--focus-floor",
        min=0.0,
        max=1.0,
        help="With --focus: share of the examples spread evenly over every class.",
    ),
]
BalanceOpt = Annotated[
    bool,
    typer.Option(
        "--balance",
        help="Bring smaller classes up to the largest (or --target-count) with more "
        "augmented copies; writes OUT/class_histogram.png.",
    ),
]
TargetCountOpt = Annotated[
    int | None,
    typer.Option("--target-count", min=1, help="With --balance: examples per class."),
]
