"""NumPy's SeedSequence hash for many keys at once, so a batch gets its generators cheaply.

`np.random.default_rng(SeedSequence(seed, spawn_key=key))` costs about 35 us, mostly in
hashing the key with Python-level set-up, once per example. On small crops that is a
large share of the augmentation itself. This module runs the same hash (O'Neill's
seed_seq_fe with NumPy's constants and pool size 4) as uint32 array arithmetic over a whole
batch (the seed's own words are mixed once and cached), then builds each PCG64 from its
precomputed seed words: about 4 us an example in a batch of 64, 5 in a batch of 32, most
of it making the generator objects.
The generators are bit-for-bit those of `SeedSequence` (tested on many keys).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt
from numpy.random.bit_generator import ISpawnableSeedSequence

POOL_SIZE = 4
INIT_A, MULT_A = 0x43B0D7E5, 0x931E8875
INIT_B, MULT_B = 0x8B51F9DD, 0x58F38DED
MIX_MULT_L, MIX_MULT_R = 0xCA01F9DD, 0x4973F715
XSHIFT = np.uint32(16)
WORD = 0xFFFFFFFF
PCG64_WORDS = 4  # PCG64 asks its seed sequence for 4 uint64 words (seed and increment)


def entropy_words(seed: int, spawn_key: tuple[int, ...]) -> list[int]:
    """The uint32 words SeedSequence(seed, spawn_key=spawn_key) hashes, in order."""
    words = _words(seed)
    if spawn_key and len(words) < POOL_SIZE:
        words += [0] * (POOL_SIZE - len(words))
    for part in spawn_key:
        words += _words(part)
    return words


def key_states(seed: int, keys: list[tuple[int, ...]]) -> list[np.ndarray]:
    """PCG64 seed words (4 uint64) of SeedSequence(seed, spawn_key=key) for each key."""
    first = keys[0]
    indices = [key[0] for key in keys]
    if (
        all(len(key) == len(first) and key[1:] == first[1:] for key in keys)
        and min(indices) >= 0
        and max(indices) <= WORD
    ):  # the usual batch: one word per index, the rest of the key shared
        head, tail = entropy_words(seed, (0,))[:-1], entropy_words(0, first[1:])[POOL_SIZE:]
        entropy = np.empty((len(keys), len(head) + 1 + len(tail)), np.uint32)
        entropy[:, : len(head)] = head
        entropy[:, len(head)] = indices
        entropy[:, len(head) + 1 :] = tail
        return list(pcg64_states(entropy))
    words = [entropy_words(seed, key) for key in keys]
    by_length: dict[int, list[int]] = {}
    for k, row in enumerate(words):
        by_length.setdefault(len(row), []).append(k)
    states: list[np.ndarray] = [np.empty(0, np.uint64)] * len(keys)
    for members in by_length.values():  # rows of one length are hashed together
        hashed = pcg64_states(np.array([words[k] for k in members], np.uint32))
        for k, state in zip(members, hashed, strict=True):
            states[k] = state
    return states


def _words(value: int) -> list[int]:
    """A non-negative integer as little-endian 32-bit words (0 is one word)."""
    if value < 0:
        raise ValueError(f"seed parts must be non-negative, got {value}")
    words = [value & WORD]
    value >>= 32
    while value:
        words.append(value & WORD)
        value >>= 32
    return words


@functools.lru_cache(maxsize=64)
def _schedule(init: int, mult: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The running hash constant before and after each of `count` hashmix calls."""
    consts = [init]
    for _ in range(count):
        consts.append((consts[-1] * mult) & WORD)
    return np.array(consts[:-1], np.uint32), np.array(consts[1:], np.uint32)


_OTHERS = [np.array([d for d in range(POOL_SIZE) if d != s]) for s in range(POOL_SIZE)]
_CYCLE = np.arange(2 * PCG64_WORDS) % POOL_SIZE


def _hashmix(values: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """seed_seq_fe's hashmix, one column per call: xor the constant, multiply by the next."""
    mixed = values ^ before
    mixed *= after
    mixed ^= mixed >> XSHIFT
    return mixed


def _mix(x: npt.NDArray[np.uint32], y: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    result: npt.NDArray[np.uint32] = np.uint32(MIX_MULT_L) * x - np.uint32(MIX_MULT_R) * y
    result ^= result >> XSHIFT
    return result


def pool(entropy: np.ndarray) -> np.ndarray:
    """The mixed entropy pool (n, POOL_SIZE) uint32 of each row of `entropy` (n, L).

    The rows are keys of one seed, so they share their first POOL_SIZE words (the seed's),
    and the mixing of those words is done once. The reference loops call hashmix once per
    (source, destination) pair in order; the calls of one source do not depend on each
    other, so each source is one array step.
    """
    n, length = entropy.shape
    head = entropy[0, :POOL_SIZE]
    if (entropy[:, :POOL_SIZE] != head).any():
        raise ValueError("entropy rows must share their first words (keys of one seed)")
    mixer = np.repeat(_seed_pool(tuple(int(w) for w in head)), n, axis=0)
    before, after = _schedule(INIT_A, MULT_A, POOL_SIZE * max(POOL_SIZE, length))
    call = POOL_SIZE * POOL_SIZE
    for src in range(POOL_SIZE, length):
        span = slice(call, call + POOL_SIZE)
        mixer = _mix(mixer, _hashmix(entropy[:, src, None], before[span], after[span]))
        call += POOL_SIZE
    return mixer


@functools.lru_cache(maxsize=64)
def _seed_pool(head: tuple[int, ...]) -> np.ndarray:
    """(1, POOL_SIZE): the pool after its first words are hashed in and mixed together."""
    before, after = _schedule(INIT_A, MULT_A, POOL_SIZE * POOL_SIZE)
    first = np.zeros((1, POOL_SIZE), np.uint32)
    first[0, : len(head)] = head
    mixer = _hashmix(first, before[:POOL_SIZE], after[:POOL_SIZE])
    call = POOL_SIZE
    for src, others in enumerate(_OTHERS):
        span = slice(call, call + len(others))
        hashed = _hashmix(mixer[:, src, None], before[span], after[span])
        mixer[:, others] = _mix(mixer[:, others], hashed)
        call += len(others)
    mixer.setflags(write=False)  # cached: shared by every later call
    return mixer


def pcg64_states(entropy: np.ndarray) -> np.ndarray:
    """(n, 4) uint64: what SeedSequence.generate_state(4, np.uint64) gives for each row."""
    words = 2 * PCG64_WORDS
    before, after = _schedule(INIT_B, MULT_B, words)
    mixer = pool(entropy)
    cycled = mixer[:, _CYCLE]
    out = np.ascontiguousarray(_hashmix(cycled, before, after), "<u4")
    return out.view("<u8").astype(np.uint64)


class PrecomputedSeedSequence(ISpawnableSeedSequence):
    """A seed sequence whose PCG64 seed words are already hashed; anything else (spawning,
    other word counts) is served by the real SeedSequence, made on first need."""

    __slots__ = ("_real", "_seed", "_spawn_key", "_state")

    def __init__(self, state: np.ndarray, seed: int, spawn_key: tuple[int, ...]) -> None:
        self._state = state
        self._seed = seed
        self._spawn_key = spawn_key
        self._real: np.random.SeedSequence | None = None

    def _sequence(self) -> np.random.SeedSequence:
        if self._real is None:
            self._real = np.random.SeedSequence(self._seed, spawn_key=self._spawn_key)
        return self._real

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:
        if n_words == PCG64_WORDS and np.dtype(dtype) == np.uint64:
            return self._state.copy()
        return self._sequence().generate_state(n_words, dtype)

    def spawn(self, n_children: int) -> list[np.random.SeedSequence]:
        return self._sequence().spawn(n_children)
