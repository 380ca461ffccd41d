"""Aiming a generation run: the `--focus` and `--balance` options of the generating
commands, turned into the run's task list and the part of its record that says how.

The record carries the focus file's content, so a rerun with a different focus into the
same OUT is refused like any other changed command.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from augment.analysis.focus import REASON, FocusWeights, Task, balance_tasks, focus_tasks
from augment.analysis.focus_file import read_focus
from augment.analysis.plots import class_histogram_png
from augment.core.errors import ConfigError

HISTOGRAM_NAME = "class_histogram.png"


@dataclass(frozen=True)
class Aim:
    """What a run aims at: a focus.yaml (with the floor share), or balanced classes."""

    focus: Path | None = None
    floor: float = 0.25
    balance: bool = False
    target_count: int | None = None

    def check(self) -> None:
        """Refuse options that do not go together (before anything is written)."""
        if self.focus is not None and self.balance:
            raise ConfigError("--focus", "give --focus or --balance, not both")
        if self.target_count is not None and not self.balance:
            raise ConfigError("--target-count", "goes with --balance")

    @property
    def active(self) -> bool:
        return self.focus is not None or self.balance


def focused(
    aim: Aim, candidates: Sequence[Task], budget: int, label_key: str, seed: int
) -> tuple[list[Task], dict[str, Any]]:
    """`budget` tasks aimed by the focus file, and the run-record entry naming it."""
    assert aim.focus is not None
    document = read_focus(aim.focus)
    weights = FocusWeights(floor=aim.floor)
    tasks = focus_tasks(
        candidates, budget, document, label_key=label_key, weights=weights, seed=seed
    )
    return tasks, {"document": document, "floor": aim.floor}


def balanced(aim: Aim, tasks: Sequence[Task], seed: int) -> tuple[list[Task], dict[str, Any]]:
    """The tasks plus augmented copies bringing minority classes up, and the record entry."""
    return balance_tasks(tasks, aim.target_count, seed=seed), {"target_count": aim.target_count}


def aimed(
    aim: Aim, tasks: Sequence[Task], candidates: Sequence[Task], label_key: str, seed: int
) -> tuple[Sequence[Task], dict[str, Any]]:
    """The run's tasks as `aim` says (the plain `tasks` when it says nothing), and what to
    add to the run's command record (nothing when it says nothing, so plain runs are the
    same bytes as before)."""
    aim.check()
    if aim.focus is not None:
        tasks, entry = focused(aim, candidates, len(tasks), label_key, seed)
        return tasks, {"focus": entry}
    if aim.balance:
        tasks, entry = balanced(aim, tasks, seed)
        return tasks, {"balance": entry}
    return tasks, {}


def unique_tasks(tasks: Sequence[Task]) -> list[Task]:
    """Each distinct task once, in first-seen order (the candidates a focus draws from)."""
    seen: dict[tuple, Task] = {}
    for task in tasks:
        seen.setdefault(tuple(sorted((k, repr(v)) for k, v in task.items())), task)
    return list(seen.values())


def class_counts(tasks: Sequence[Task], label_key: str = "label") -> dict[str, int]:
    """Tasks per labelled class, sorted by class."""
    counts = Counter(str(t[label_key]) for t in tasks if t.get(label_key) is not None)
    return dict(sorted(counts.items()))


def reasons_line(tasks: Sequence[Task]) -> str:
    """How many tasks each focus_reason got, largest first, on one line."""
    counts = Counter(t[REASON] for t in tasks).most_common()
    return "focus: " + ", ".join(f"{reason} {n}" for reason, n in counts)


def histogram_lines(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """The before/after class histogram as text: one line per class with a bar."""
    top = max(after.values(), default=0) or 1
    width = max((len(label) for label in after), default=5)
    return [f"{'class':<{width}}  before -> after"] + [
        f"{label:<{width}}  {before.get(label, 0):>6} -> {n:<6} {'#' * round(40 * n / top)}"
        for label, n in after.items()
    ]


def write_histogram(out: Path, before: dict[str, int], after: dict[str, int]) -> Path:
    """OUT/class_histogram.png: the class counts before and after balancing."""
    path = out / HISTOGRAM_NAME
    class_histogram_png(before, after).save(path)
    return path
