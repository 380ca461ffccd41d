"""An epoch number that DataLoader workers see change, persistent workers included.

`set_epoch` runs in the training process, while DataLoader workers hold their own copy of the
dataset; with `persistent_workers=True` that copy is made once, so a plain attribute would
freeze at the first epoch and every epoch would repeat the same draws. The number lives in
shared memory instead, which forked and spawned workers map alike.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import get_spawning_popen
from typing import Any


class SharedEpoch:
    """An integer shared with the worker processes started from this one."""

    def __init__(self, value: int = 0) -> None:
        self._shared = multiprocessing.RawValue("q", value)

    @property
    def value(self) -> int:
        return int(self._shared.value)

    @value.setter
    def value(self, epoch: int) -> None:
        self._shared.value = int(epoch)

    def __getstate__(self) -> dict[str, Any]:
        # Shared memory travels only to a process being started (a spawned worker); any
        # other pickling (saving a dataset, sending it elsewhere) takes the current value.
        if get_spawning_popen() is not None:
            return {"shared": self._shared}
        return {"value": self.value}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "shared" in state:
            self._shared = state["shared"]
        else:
            self._shared = multiprocessing.RawValue("q", state["value"])


class EpochIndexing:
    """What the map-style datasets share: `set_epoch` selecting the epoch's draws (seen by
    DataLoader workers through SharedEpoch) and indices checked against the subclass's
    `len`, negative ones counted from the end."""

    _epoch: SharedEpoch

    def __len__(self) -> int:
        raise NotImplementedError  # each dataset knows its own length

    def set_epoch(self, epoch: int) -> None:
        """Select the epoch's draws (seeded mode); call before each epoch, as with samplers.
        DataLoader workers see it, persistent ones too."""
        self._epoch.value = epoch

    @property
    def epoch(self) -> int:
        return self._epoch.value

    def _position(self, index: int) -> int:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} out of range for {len(self)} items")
        return index % len(self)
