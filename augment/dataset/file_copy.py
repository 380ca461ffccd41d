"""Copy bytes between open files inside the kernel where the system can.

A shard is put together from the pieces its workers wrote (`augment.dataset.tar`): copied
with `os.copy_file_range`, the bytes never pass through the main process, which only
issues the call. A system without it (not Linux, or a file system that refuses) gets
the same bytes read and written.
"""

from __future__ import annotations

import errno
import os

_REFUSED = (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EPERM)
_BLOCK = 1 << 20  # bytes per read when copying through this process
_in_kernel = hasattr(os, "copy_file_range")  # turned off for the process once refused


def copy_bytes(source: int, target: int, size: int) -> None:
    """Copy `size` bytes from `source`'s offset to `target`'s (both advance)."""
    global _in_kernel
    while size > 0 and _in_kernel:
        try:
            copied = os.copy_file_range(source, target, size)
        except OSError as err:
            if err.errno not in _REFUSED:
                raise
            _in_kernel = False
            break
        if copied == 0:
            raise OSError(errno.EIO, f"{size} bytes short: the source ended early")
        size -= copied
    while size > 0:
        data = os.read(source, min(size, _BLOCK))
        if not data:
            raise OSError(errno.EIO, f"{size} bytes short: the source ended early")
        view = memoryview(data)
        while view:
            view = view[os.write(target, view) :]
        size -= len(data)
