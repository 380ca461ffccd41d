"""What an example maker hands to the writer, and the protocol makers follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np


@dataclass
class Example:
    """One finished example: encoded bytes plus everything the manifest records."""

    data: bytes
    suffix: str
    label: str | None
    source: str | None = None  # the input, as the manifest's `source_file` names it
    params: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    # files that go with the example (a moved mask): column -> (suffix, bytes); the layout
    # writes each and puts its path in that column
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class ExampleMaker(Protocol):
    """Makes example `task` with its own generator; must be picklable for worker processes.

    Raise `augment.core.errors.InputError` for a bad input file: the run reports it and goes on.
    A maker may also offer `make_batch(tasks, rngs) -> list[Example]`, giving the same
    bytes as `make` task by task; the writer then makes a chunk of examples in one call.
    """

    def make(self, task: dict[str, Any], rng: np.random.Generator) -> Example: ...
