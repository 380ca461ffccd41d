"""The bytes of a WebDataset tar shard: ustar members, an example's member group, the end.

Example i is the member group with key `{i:07d}`: `KEY<suffix>` (the encoded bytes),
`KEY.json` (its manifest record), `KEY.txt` (the label, when there is one) and
`KEY.<column><suffix>` for each file of the example (a moved mask: `KEY.mask.png`), the layout
that `webdataset` and Hugging Face `datasets` read. In `KEY.json`, "params" is JSON text
rather than an object: params differ in shape from one example to the next (and mix types
in lists), which Arrow-based readers cannot put in one column; as text they load everywhere
and `json.loads` gives them back. Members get fixed metadata (mtime 0, owner 0, mode 0644,
USTAR), so a shard's bytes depend only on its examples. Where shards go and when they are
written is the shards layout's business (`augment.dataset.layouts.shards`).
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from augment.core.errors import AugsynthError
from augment.dataset.atomic import temporary_sibling
from augment.dataset.example import Example
from augment.dataset.file_copy import copy_bytes
from augment.dataset.manifest import dumps_row

RECORD_SUFFIX = ".json"
LABEL_SUFFIX = ".txt"
BLOCK = 512  # tar block
RECORD = 20 * BLOCK  # tar record: archives are padded to whole records


def member_key(index: int) -> str:
    """The key that groups example `index`'s members."""
    return f"{index:07d}"


def file_member(key: str, column: str, suffix: str) -> str:
    """The member holding an example's file of `column` (its record's column names it)."""
    return f"{key}.{column}{suffix}"


class ShardFile:
    """A shard being written to its temporary; `seal()` makes it final, `discard()` drops it.

    Its members come as pieces, each written by the worker that made them (`splice`).
    Its data reach the disk before the rename, so a power cut (not only a kill) never
    leaves a final-looking shard with missing bytes. `seal()` may run on another thread (the
    shards layout syncs one shard while the next is written), never at once with `splice`.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.tmp = temporary_sibling(path)
        self.handle = open(self.tmp, "wb")  # noqa: SIM115 (closed by seal or discard)
        self.writer = ShardWriter(self.handle)

    def splice(self, piece: Path) -> None:
        """Append a piece (whole members, as `group_bytes` makes them, that a worker wrote
        beside the shard), then delete it."""
        with open(piece, "rb") as source:
            self.writer.splice(source)
        piece.unlink()

    def seal(self) -> None:
        """End the archive, sync it and rename it into place."""
        try:
            self.writer.close()
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
        except BaseException:
            self.discard()
            raise
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


def read_records(path: Path) -> list[dict[str, Any]]:
    """The examples' records (KEY.json, params parsed back) of a finished shard."""
    records = []
    with tarfile.open(path) as tar:
        for member in tar:
            if member.name.endswith(RECORD_SUFFIX):
                handle = tar.extractfile(member)
                assert handle is not None  # the writer stores records as regular files
                record = orjson.loads(handle.read())
                record["params"] = orjson.loads(record["params"])
                records.append(record)
    return sorted(records, key=lambda r: r["index"])


class ShardWriter:
    """Appends encoded members to a tar being written, and ends it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.written = 0

    def splice(self, source: BinaryIO) -> None:
        """Append a file of whole members, copied by the kernel where it can (`copy_bytes`):
        a member is position-independent (a header, its data, padding to whole blocks), so
        the tar is the same as if its members were written one by one. What the handle
        buffers goes first: the copy starts at the file's own offset."""
        self.handle.flush()
        size = os.fstat(source.fileno()).st_size
        copy_bytes(source.fileno(), self.handle.fileno(), size)
        self.written += size

    def close(self) -> None:
        """End-of-archive: two zero blocks, padded to whole records as tar(1) writes them."""
        end = self.written + 2 * BLOCK
        self.handle.write(bytes(2 * BLOCK + (-end % RECORD)))


def group_bytes(key: str, example: Example, record: dict[str, Any]) -> bytes:
    """One example's members, encoded: its bytes, its JSON record (params as text), its label.

    Made in full before anything is written, so a group is in a shard whole or not at all.
    """
    if example.suffix in (RECORD_SUFFIX, LABEL_SUFFIX):
        raise AugsynthError(
            f"example {key}: a {example.suffix} example would clash with the shard's "
            f"{RECORD_SUFFIX}/{LABEL_SUFFIX} members"
        )
    flat = {**record, "params": dumps_row(record["params"])}
    members = [
        (key + example.suffix, example.data),
        (key + RECORD_SUFFIX, (dumps_row(flat) + "\n").encode("utf-8")),
    ]
    if example.label is not None:
        members.append((key + LABEL_SUFFIX, example.label.encode("utf-8")))
    for column, (suffix, data) in example.files.items():
        members.append((file_member(key, column, suffix), data))
    return b"".join(member_bytes(name, data) for name, data in members)


def member_bytes(name: str, data: bytes) -> bytes:
    """A member as it sits in the tar: header, data, zero padding to whole blocks."""
    return ustar_header(name, len(data)) + data + bytes(-len(data) % BLOCK)


def ustar_header(name: str, size: int) -> bytes:
    """The 512-byte POSIX ustar header of a regular file with fixed metadata.

    The same bytes as Python's tarfile writes for mode 0644, owner 0/0, no owner names and
    mtime 0, at a fraction of the cost (tarfile's header code was a third of a shard run).
    """
    encoded = name.encode("ascii", errors="strict") if name.isascii() else b""
    if not encoded or len(encoded) > 100:
        raise AugsynthError(f"{name!r}: a shard member name must be 1-100 ASCII characters")
    if size >= 8**11:  # the ustar size field holds 11 octal digits
        raise AugsynthError(f"{name!r}: {size} bytes is too large for a tar member")
    header = bytearray(BLOCK)
    header[0 : len(encoded)] = encoded
    header[100:148] = b"0000644\x000000000\x000000000\x00%011o\x0000000000000\x00" % size
    header[148:157] = b"        0"  # checksum counted as spaces; type "0": regular file
    header[257:265] = b"ustar\x0000"
    header[148:156] = b"%06o\x00 " % sum(header)
    return bytes(header)
