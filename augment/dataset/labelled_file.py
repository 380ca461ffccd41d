"""What every input reader finds: a file (or a dataset row), its label and its columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LabelledFile:
    """An input, its label (None if unlabelled) and any other metadata columns.

    `name` is how the manifest names the input (its path relative to IN, as a list wrote
    it, or a dataset row): a dataset folder moved elsewhere still names the same inputs.
    `stored` says where a Hugging Face dataset row's encoded media is, when no file holds it.
    """

    path: Path
    label: str | None
    columns: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why this input cannot be used (reported per example)
    name: str | None = None
    stored: dict[str, Any] | None = None
