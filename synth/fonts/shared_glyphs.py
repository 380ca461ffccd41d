"""Glyphs shared between forked processes: what one worker rendered, its siblings read.

Each process caches the glyphs it renders (`synth.fonts.glyphs`), so the two workers of a
`synth ocr --workers 2` run each rendered most glyphs the run needs: 22-40% more glyphs
than one process, at ~190 us each. At the first fork of a process that renders glyphs, an
anonymous shared memory region is set up that it and every process forked from it (the
writer's worker pool, DataLoader workers) append rendered glyphs to and look up missing
ones in. A glyph's pixels do not depend on which process rendered it, so what a run
writes is unchanged.

The region is an append-only log: a header holding the bytes used, then entries that are
never changed once the header counts them; a lock orders the appends. A process killed
while holding the lock makes the others give up sharing, never wait for it forever.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import multiprocessing
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

CAPACITY = 128 << 20  # bytes of shared glyphs (touched pages only); once full, no more
LOCK_WAIT = 2.0  # seconds; longer means a sibling died holding the lock: stop sharing
_USED = struct.Struct("<q")  # the header: bytes of the region in use
_ENTRY = struct.Struct("<iiiiiidiiiii")  # size, key bytes, h, w, left, top, advance, ink
Key = tuple[str, int, int, str]  # font file, pixel size, stroke, character


class GlyphLike(Protocol):
    """What is shared of a glyph (`synth.fonts.glyphs.Glyph`)."""

    @property
    def mask(self) -> np.ndarray: ...
    @property
    def left(self) -> int: ...
    @property
    def top(self) -> int: ...
    @property
    def advance(self) -> float: ...
    @property
    def ink(self) -> tuple[int, int, int, int] | None: ...


G = TypeVar("G", bound=GlyphLike)


class SharedGlyphs:
    """The shared log of glyphs, and this process's index of the entries it has seen."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.memory = mmap.mmap(-1, capacity)  # anonymous and shared: forks see one region
        self.lock = multiprocessing.get_context("fork").Lock()
        self.offsets: dict[Key, int] = {}
        self.read_to = _USED.size
        _USED.pack_into(self.memory, 0, _USED.size)
        self.usable = True

    def get(self, key: Key) -> tuple[Any, ...] | None:
        """(mask, left, top, advance, ink) of `key` if any process has shared it."""
        offset = self.offsets.get(key)
        if offset is None and self._catch_up():
            offset = self.offsets.get(key)
        return None if offset is None else self._fields(offset)

    def put(self, key: Key, glyph: GlyphLike) -> tuple[Any, ...] | None:
        """Share `glyph` with the other processes; the fields of the shared copy (which
        this process keeps instead of its own), or None if the region is full."""
        mask = np.ascontiguousarray(glyph.mask, dtype=np.uint8)
        name = "\0".join(map(str, key)).encode("utf-8", "surrogatepass")
        ink = (1, *glyph.ink) if glyph.ink is not None else (0, 0, 0, 0, 0)
        size = -(-(_ENTRY.size + len(name) + mask.size) // 8) * 8  # entries 8-byte aligned
        header = _ENTRY.pack(size, len(name), *mask.shape, glyph.left, glyph.top,
                             glyph.advance, *ink)  # fmt: skip
        if not self._acquire():
            return None
        try:
            used = _USED.unpack_from(self.memory, 0)[0]
            if used + size > len(self.memory):
                return None
            self.memory[used : used + _ENTRY.size] = header
            start = used + _ENTRY.size
            self.memory[start : start + len(name)] = name
            self.memory[start + len(name) : start + len(name) + mask.size] = mask.tobytes()
            _USED.pack_into(self.memory, 0, used + size)
        finally:
            self.lock.release()
        self.offsets[key] = used
        return self._fields(used)

    def _acquire(self) -> bool:
        if self.usable and not self.lock.acquire(timeout=LOCK_WAIT):
            self.usable = False
        return self.usable

    def _catch_up(self) -> bool:
        """Index the entries added since this process last looked; False if none were."""
        if not self._acquire():
            return False
        try:
            used = _USED.unpack_from(self.memory, 0)[0]
        finally:
            self.lock.release()
        if used == self.read_to:
            return False
        offset = self.read_to
        while offset < used:  # entries below `used` are complete and never change
            size, length = struct.unpack_from("<ii", self.memory, offset)
            start = offset + _ENTRY.size
            font, em, stroke, char = (
                self.memory[start : start + length].decode("utf-8", "surrogatepass").split("\0", 3)
            )
            self.offsets.setdefault((font, int(em), int(stroke), char), offset)
            offset += size
        self.read_to = used
        return True

    def _fields(self, offset: int) -> tuple[Any, ...]:
        _, length, h, w, left, top, advance, has_ink, *ink = _ENTRY.unpack_from(self.memory, offset)
        start = offset + _ENTRY.size + length
        mask = np.frombuffer(self.memory, np.uint8, h * w, start).reshape(h, w)
        mask.flags.writeable = False  # the pixels are every process's
        return mask, left, top, advance, tuple(ink) if has_ink else None


_store: SharedGlyphs | None = None  # this process's view of the shared log, once forked


def _share_before_fork() -> None:
    """At a process's first fork, set up the region the new process will share (where
    the system has no shared memory or semaphores to give, each process renders its own)."""
    global _store
    if _store is None:
        with contextlib.suppress(OSError):
            _store = SharedGlyphs()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_share_before_fork)


def shared_between_forks(
    make: Callable[..., G],
) -> Callable[[Callable[[Path, int, int, str], G]], Callable[[Path, int, int, str], G]]:
    """Decorate a glyph render (font file, pixel size, stroke, character) so a process
    that was forked, or has forked, first looks the glyph up in the shared log and shares
    what it renders. `make(mask, left, top, advance, ink)` builds a glyph from the log."""

    def decorate(render: Callable[[Path, int, int, str], G]) -> Callable[[Path, int, int, str], G]:
        @functools.wraps(render)
        def shared_or_rendered(path: Path, size: int, stroke: int, char: str) -> G:
            store = _store
            if store is None or not store.usable:
                return render(path, size, stroke, char)
            key = (str(path), size, stroke, char)
            fields = store.get(key)
            if fields is not None:
                return make(*fields)
            glyph = render(path, size, stroke, char)
            shared = store.put(key, glyph)
            return glyph if shared is None else make(*shared)

        return shared_or_rendered

    return decorate
