"""Task sequences computed from the index, never listed: a run of 10^8 examples needs no
more memory than a run of ten. A subclass says how long it is, what task i is, and what
determines its tasks (`identity`, which the run record keeps instead of a digest of every
task)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

Task = dict[str, Any]


class ComputedTasks(Sequence[Task]):
    """Indexing (negative indices, slices), bounds and list equality for `task_at`."""

    def task_at(self, index: int) -> Task:
        """Task `index`, with 0 <= index < len(self)."""
        raise NotImplementedError

    def identity(self) -> dict[str, Any]:
        """JSON-able values that determine every task (two sequences with the same identity
        and type hold the same tasks); cheap, whatever the length."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Task: ...

    @overload
    def __getitem__(self, index: slice) -> list[Task]: ...

    def __getitem__(self, index: int | slice) -> Task | list[Task]:
        if isinstance(index, slice):
            return [self.task_at(i) for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(f"task {index} of {len(self)}")
        return self.task_at(index % len(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so not hashable
