"""The tasks of `augment images|audio -n COPIES`: copy k of input j is task j * COPIES + k.

Computed from the index rather than listed, so `-n 100000000` costs the memory of its
inputs, not of a hundred million task dicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

Task = dict[str, Any]


class CopyTasks(Sequence[Task]):
    """Each input entry with its copy number, `copies` times in a row."""

    def __init__(self, inputs: Sequence[Task], copies: int) -> None:
        self.inputs = inputs
        self.copies = copies

    def __len__(self) -> int:
        return len(self.inputs) * self.copies

    @overload
    def __getitem__(self, index: int) -> Task: ...

    @overload
    def __getitem__(self, index: slice) -> list[Task]: ...

    def __getitem__(self, index: int | slice) -> Task | list[Task]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(f"task {index} of {len(self)}")
        j, k = divmod(index % len(self), self.copies)
        return self.inputs[j] | {"copy": k}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so not hashable
