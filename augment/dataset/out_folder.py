"""Taking OUT for one run: made if missing, refused on one line if it cannot be used.

A run writes only inside OUT. OUT itself may be a link (to another disk, say), but a link
inside it (a label folder or manifest.jsonl pointing elsewhere) would send writes outside
it, so such a folder is refused. Two runs into one OUT would interleave their rows: a lock
file held for the run (released by the system if the process dies) refuses the second.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from augment.core.errors import AugsynthError

LOCK_NAME = ".augsynth.lock"
LOCK_POLL = 0.1  # seconds between tries while waiting for a lock


@contextmanager
def claim_folder(out_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """OUT, made and locked for the duration of the block; `wait` seconds at most for a
    holder to let go (the parts of a run take the lock only briefly)."""
    _make(out_dir)
    _refuse_links(out_dir)
    busy = f"{out_dir}: another run is writing into this folder; wait for it to end"
    handle = hold_lock(out_dir / LOCK_NAME, busy, wait)
    try:
        yield
    finally:
        (out_dir / LOCK_NAME).unlink(missing_ok=True)  # still held: no other run is between
        os.close(handle)


def hold_lock(path: Path, busy: str, wait: float = 0.0) -> int:
    """An open descriptor holding the lock file `path` (released when it is closed, or when
    the process dies); refused with the one-line message `busy` after `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            if time.monotonic() >= deadline:
                raise AugsynthError(busy) from None
            time.sleep(LOCK_POLL)
            continue
        if _still_named(handle, path):
            return handle
        os.close(handle)  # its holder removed it as we opened it: lock the one there now


def _still_named(handle: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (not unlinked by its last holder)."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _make(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AugsynthError(f"{out_dir}: is a file, not a folder; give another --out") from None
    except NotADirectoryError:
        raise AugsynthError(f"{out_dir}: a part of this path is a file, not a folder") from None
    except OSError as err:
        raise AugsynthError(f"{out_dir}: cannot make the folder ({err.strerror})") from None


def _refuse_links(out_dir: Path) -> None:
    """Refuse symbolic links among OUT's entries (deeper files are replaced by rename,
    which never follows a link)."""
    for entry in os.scandir(out_dir):
        if entry.is_symlink():
            raise AugsynthError(
                f"{out_dir / entry.name}: is a symbolic link; a run writes only inside its "
                "folder, so remove the link or use a new --out folder"
            )
