"""Why each example was made: a maker wrapper that copies a task's `focus_reason` (set by
`focus_tasks` or `balance_tasks`) into its example's manifest columns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.analysis.focus import REASON
from augment.dataset.example import Example, ExampleMaker


@dataclass(frozen=True)
class ReasonMaker:
    """`maker`, plus a `focus_reason` column on every example; picklable like the maker."""

    maker: ExampleMaker

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example:
        example = self.maker.make(task, rng)
        example.columns[REASON] = task[REASON]
        return example

    def make_batch(
        self, tasks: list[dict[str, Any]], rngs: list[np.random.Generator]
    ) -> list[Example | str]:
        """The wrapped maker's batch (or one by one when it has none), with reasons."""
        make_batch = getattr(self.maker, "make_batch", None)
        if make_batch is None:
            results = [self.maker.make(task, rng) for task, rng in zip(tasks, rngs, strict=True)]
        else:
            results = make_batch(tasks, rngs)
        return [_with_reason(r, t) for r, t in zip(results, tasks, strict=True)]


def _with_reason(example: Example | str, task: dict[str, Any]) -> Example | str:
    if isinstance(example, str):  # a failed example stays its error message
        return example
    example.columns[REASON] = task[REASON]
    return example
