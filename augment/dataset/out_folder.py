"""Taking OUT for one run: made if missing, refused on one line if it cannot be used.

A run writes only inside OUT. OUT itself may be a link (to another disk, say), but a link
inside it (a label folder or manifest.jsonl pointing elsewhere) would send writes outside
it, so such a folder is refused. Two runs into one OUT would interleave their rows: a lock
file held for the run (released by the system if the process dies) refuses the second.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from augment.core.errors import AugsynthError

LOCK_NAME = ".augsynth.lock"


@contextmanager
def claim_folder(out_dir: Path) -> Iterator[None]:
    """OUT, made and locked for the duration of the block."""
    _make(out_dir)
    _refuse_links(out_dir)
    handle = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AugsynthError(
                f"{out_dir}: another run is writing into this folder; wait for it to end"
            ) from None
        yield
        (out_dir / LOCK_NAME).unlink(missing_ok=True)  # still held: no other run is between
    finally:
        os.close(handle)


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
