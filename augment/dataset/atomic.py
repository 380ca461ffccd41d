"""Atomic file writes: a reader never sees a half-written file, even after a kill."""

from __future__ import annotations

import os
from pathlib import Path

TMP_MARK = ".augsynth-tmp-"  # only files named so are ever cleaned up: never a user's own


def temporary_sibling(path: Path) -> Path:
    """Where `path` is written before it is renamed into place (found by the cleanup below)."""
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, then rename over the target in one step.

    The folder is made only when the open fails for want of it: a run writes thousands of
    files into a few folders, and asking for the folder each time cost a tenth of a write.
    """
    tmp = temporary_sibling(path)
    try:
        _write(tmp, data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(tmp, data)
    os.replace(tmp, path)


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def remove_stale_temporaries(root: Path) -> int:
    """Delete temporaries left by a killed run; returns how many were removed."""
    removed = 0
    for tmp in root.rglob(f".*{TMP_MARK}*"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink()
            removed += 1
    return removed
