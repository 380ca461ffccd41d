"""WebDataset tar shards: many examples per file, for runs where one file per example is slow.

Shard k is `shards/{k:06d}.tar`. Example i is the member group with key `{i:07d}`:
`KEY<suffix>` (the encoded bytes), `KEY.json` (its manifest record) and `KEY.txt` (the
label, when there is one), the layout that `webdataset` and Hugging Face `datasets` read.
In `KEY.json`, "params" is JSON text rather than an object: params differ in shape from one
example to the next (and mix types in lists), which Arrow-based readers cannot put in one
column; as text they load everywhere and `json.loads` gives them back.
Members get fixed metadata (mtime 0, owner 0, mode 0644, USTAR), so a shard's bytes depend
only on its examples. A shard is written to a temporary sibling and renamed into place, so
a reader or a resumed run never sees half a shard.
"""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from augment.core.errors import AugsynthError
from augment.dataset.atomic import temporary_sibling
from augment.dataset.example import Example
from augment.dataset.manifest import dumps_row

SHARDS_DIR = "shards"
RECORD_SUFFIX = ".json"
LABEL_SUFFIX = ".txt"


def shard_relpath(number: int) -> str:
    return f"{SHARDS_DIR}/{number:06d}.tar"


def member_key(index: int) -> str:
    return f"{index:07d}"


@contextmanager
def open_shard(path: Path) -> Iterator[ShardWriter]:
    """A writer for the shard at `path`; the shard appears only if the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_sibling(path)
    try:
        with (
            open(tmp, "wb") as handle,
            tarfile.open(fileobj=handle, mode="w", format=tarfile.USTAR_FORMAT) as tar,
        ):
            yield ShardWriter(tar)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


class ShardWriter:
    """Adds example groups to an open tar, with fixed member metadata."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar

    def add(self, key: str, example: Example, record: dict[str, Any]) -> None:
        """Add one example's group: its bytes, its JSON record (params as text), its label."""
        if example.suffix in (RECORD_SUFFIX, LABEL_SUFFIX):
            raise AugsynthError(
                f"example {key}: a {example.suffix} example would clash with the shard's "
                f"{RECORD_SUFFIX}/{LABEL_SUFFIX} members"
            )
        self._member(key + example.suffix, example.data)
        flat = {**record, "params": dumps_row(record["params"])}
        self._member(key + RECORD_SUFFIX, (dumps_row(flat) + "\n").encode("utf-8"))
        if example.label is not None:
            self._member(key + LABEL_SUFFIX, example.label.encode("utf-8"))

    def _member(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 0
        info.mode = 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        self.tar.addfile(info, io.BytesIO(data))
