"""Forked processes share the glyphs they render: a sibling reads a glyph another process
rendered instead of rendering it again, reads exactly what a render gives, and a full
region or a sibling killed holding the lock only turns the sharing off."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import numpy as np
import pytest
from synth_paths import DEJAVU

from synth.fonts import glyphs, shared_glyphs
from synth.fonts.glyphs import Glyph, get_glyph
from synth.fonts.shared_glyphs import SharedGlyphs

# plain at the reference size, box-filtered, stroked, blank, and outside ASCII
KEYS = [(DEJAVU, 128, 0, "A"), (DEJAVU, 32, 0, "g"), (DEJAVU, 64, 3, "A"), (DEJAVU, 16, 0, " "),
        (DEJAVU, 256, 2, "é")]  # fmt: skip
render = get_glyph.__wrapped__.__wrapped__  # type: ignore[attr-defined]  # no cache, no sharing


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[SharedGlyphs]:
    """A fresh shared region, and empty glyph caches, for this test's processes."""
    fresh = SharedGlyphs(capacity=4 << 20)
    monkeypatch.setattr(shared_glyphs, "_store", fresh)
    get_glyph.cache_clear()
    yield fresh
    get_glyph.cache_clear()


def _in_child(work) -> int:
    """Run `work` in a forked child; its exit status (1 if it raised)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            work()
        except BaseException:
            os._exit(1)
        os._exit(0)
    return os.waitpid(pid, 0)[1]


def _used(store: SharedGlyphs) -> int:
    return shared_glyphs._USED.unpack_from(store.memory, 0)[0]


def _same(a: Glyph, b: Glyph) -> bool:
    return (
        a.mask.shape == b.mask.shape
        and np.array_equal(a.mask, b.mask)
        and (a.left, a.top, a.advance, a.ink) == (b.left, b.top, b.advance, b.ink)
    )


def test_a_sibling_reads_what_another_process_rendered(
    store: SharedGlyphs, monkeypatch: pytest.MonkeyPatch
):
    assert _in_child(lambda: [get_glyph(*key) for key in KEYS]) == 0
    shared = _used(store)
    assert shared > 64 * 64, "the first child shared its glyphs"

    def render_nothing() -> None:
        monkeypatch.setattr(glyphs, "load_font", _no_freetype)  # a render would raise
        for key in KEYS:
            assert not get_glyph(*key).mask.flags.writeable  # a view of the shared pixels

    assert _in_child(render_nothing) == 0, "the second child rendered nothing itself"
    assert _used(store) == shared, "and shared nothing new"
    for key in KEYS:  # this process sees them too, the same as a render gives
        fields = store.get((str(key[0]), *key[1:]))
        assert fields is not None and _same(Glyph(*fields), render(*key))


def _no_freetype(*_args, **_kwargs):
    raise AssertionError("rendered a glyph a sibling had shared")


def test_a_full_region_only_stops_sharing(monkeypatch: pytest.MonkeyPatch):
    small = SharedGlyphs(capacity=256)
    monkeypatch.setattr(shared_glyphs, "_store", small)
    get_glyph.cache_clear()
    try:
        assert _same(get_glyph(*KEYS[0]), render(*KEYS[0]))
        assert _used(small) == shared_glyphs._USED.size, "too big for the region: not shared"
        assert small.get((str(DEJAVU), 128, 0, "A")) is None
    finally:
        get_glyph.cache_clear()


def test_a_sibling_killed_holding_the_lock_turns_sharing_off(
    store: SharedGlyphs, monkeypatch: pytest.MonkeyPatch
):
    def die_holding_the_lock() -> None:
        store.lock.acquire()
        os.kill(os.getpid(), signal.SIGKILL)

    status = _in_child(die_holding_the_lock)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    monkeypatch.setattr(shared_glyphs, "LOCK_WAIT", 0.05)
    assert _same(get_glyph(*KEYS[1]), render(*KEYS[1])), "rendered here instead"
    assert not store.usable


def test_without_a_fork_nothing_is_shared(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(shared_glyphs, "_store", None)
    get_glyph.cache_clear()
    try:
        assert _same(get_glyph(*KEYS[2]), render(*KEYS[2]))
        assert shared_glyphs._store is None
    finally:
        get_glyph.cache_clear()


def test_a_system_without_shared_memory_forks_and_renders_as_before(
    monkeypatch: pytest.MonkeyPatch,
):
    def no_semaphores(*_args, **_kwargs):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(shared_glyphs, "_store", None)
    monkeypatch.setattr(shared_glyphs, "SharedGlyphs", no_semaphores)
    get_glyph.cache_clear()
    try:
        assert _in_child(lambda: _same(get_glyph(*KEYS[0]), render(*KEYS[0]))) == 0
        assert shared_glyphs._store is None
    finally:
        get_glyph.cache_clear()
