"""Atomic file writes: a reader never sees a half-written file, even after a kill."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
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


def write_atomic_lines(path: Path, lines: Iterable[bytes]) -> None:
    """`write_atomic` for a file too large to hold: its lines are written as they come."""
    tmp = temporary_sibling(path)
    with open(tmp, "wb") as handle:
        handle.writelines(lines)
    os.replace(tmp, path)


def remove_stale_temporaries(root: Path, owned: Callable[[str], bool] = lambda _: True) -> int:
    """Delete temporaries left by a killed run; returns how many were removed.

    `owned(name)` says whether the temporary of the file `name` is this run's to remove: a
    run made in parts removes only those of its own examples, never another part's
    temporaries in flight.
    """
    removed = 0
    for tmp in root.rglob(f".*{TMP_MARK}*"):
        if tmp.is_file() and not tmp.is_symlink() and owned(target_name(tmp.name)):
            tmp.unlink()
            removed += 1
    return removed


def remove_temporaries_of(path: Path) -> None:
    """Delete the temporaries a killed process left for `path` alone (e.g. a cut merge's
    manifest), leaving those of other files in flight."""
    for tmp in path.parent.glob(f".{path.name}{TMP_MARK}*"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink()


def target_name(temporary: str) -> str:
    """The name of the file a temporary was written for (`temporary_sibling` reversed)."""
    return temporary[1:].rsplit(TMP_MARK, 1)[0]
