"""The tasks of `augment images|audio -n COPIES`: copy k of input j is task j * COPIES + k,
computed from the index, so `-n 100000000` costs the memory of its inputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from augment.dataset.computed_tasks import ComputedTasks, Task
from augment.dataset.run_record import tasks_digest


class CopyTasks(ComputedTasks):
    """Each input entry with its copy number, `copies` times in a row."""

    def __init__(self, inputs: Sequence[Task], copies: int) -> None:
        self.inputs = inputs
        self.copies = copies

    def __len__(self) -> int:
        return len(self.inputs) * self.copies

    def task_at(self, index: int) -> Task:
        j, k = divmod(index, self.copies)
        return self.inputs[j] | {"copy": k}

    def identity(self) -> dict[str, Any]:
        """The input listing (its digest: one entry per input, not per copy) and the count."""
        return {"inputs_sha256": tasks_digest(self.inputs), "copies": self.copies}
