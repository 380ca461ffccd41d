"""A busy cafe: nearby conversations, distant chatter, dishes, espresso machine, chairs.

Unchanged from the first bundled `cafe.flac` (its measures were within the issue-19
targets): 5 near and 11 far talkers in a room of RT60 0.6 s, cutlery and crockery as
inharmonic decaying modes with bounces, the steam wand and grinder, chairs, ventilation.
"""

from __future__ import annotations

import numpy as np

from augment.audio.scenes.blocks import (
    FS,
    add_at,
    decaying_modes,
    engine,
    in_room,
    level,
    shaped_noise,
    slow_process,
)
from augment.audio.scenes.voices import babble, random_voice

RT60_S = 0.6


def crockery(rng: np.random.Generator, n: int) -> np.ndarray:
    """Spoons on cups, forks on plates (bright, short); cups on saucers (lower, bouncing)."""
    events = np.zeros(n)
    t = 0
    while True:
        t += int(rng.exponential(1.4) * FS)
        if t >= n:
            return events
        if rng.random() < 0.6:
            freqs = rng.uniform(2000, 7500, int(rng.integers(3, 7)))
            sound = decaying_modes(rng, freqs, rng.uniform(0.03, 0.25, freqs.size), 0.6)
        else:
            freqs = rng.uniform(700, 3500, int(rng.integers(3, 6)))
            sound = decaying_modes(rng, freqs, rng.uniform(0.05, 0.3, freqs.size), 0.8)
            bounce = int(rng.uniform(0.04, 0.12) * FS)
            sound[bounce:] += 0.5 * sound[: sound.size - bounce]
        sound *= 10 ** (rng.uniform(-14, 0) / 20)
        add_at(events, in_room(rng, sound, RT60_S, rng.uniform(2, 9)), t)


def espresso_machine(rng: np.random.Generator, n: int) -> np.ndarray:
    """The steam wand (hiss with gurgle) or the grinder (motor harmonics and crunch)."""
    machine = np.zeros(n)
    t = int(rng.uniform(2, 10) * FS)
    while t < n:
        if rng.random() < 0.6:
            dur = int(rng.uniform(3, 9) * FS)
            hiss = shaped_noise(
                rng, dur, [(200, -30), (1000, -12), (3000, 0), (6000, -2), (8000, -6)]
            )
            hiss *= 10 ** (3 * slow_process(rng, dur, 0.15, 1.0) / 20)
        else:
            dur = int(rng.uniform(4, 8) * FS)
            buzz = engine(rng, np.full(dur, 2850.0) * (1 + 0.01 * rng.standard_normal()), 2)
            crunch = shaped_noise(
                rng, dur, [(100, -20), (500, -6), (2000, 0), (6000, -10), (8000, -20)]
            )
            hiss = level(buzz, 0) + level(crunch, -3)
        ramp = np.minimum(
            1, np.minimum(np.arange(dur) / (0.2 * FS), (dur - np.arange(dur)) / (0.3 * FS))
        )
        add_at(machine, in_room(rng, hiss * ramp, RT60_S, rng.uniform(4, 8)), t)
        t += dur + int(rng.uniform(10, 30) * FS)
    return machine


def chairs(rng: np.random.Generator, n: int, voices_rms: float) -> np.ndarray:
    """Chairs scraping on the floor."""
    out = np.zeros(n)
    t = 0
    while True:
        t += int(rng.exponential(12) * FS)
        if t >= n:
            return out
        dur = int(rng.uniform(0.3, 0.9) * FS)
        f = np.linspace(rng.uniform(300, 700), rng.uniform(500, 1200), dur)
        scrape = np.sin(2 * np.pi * np.cumsum(f) / FS) * (1 + rng.standard_normal(dur) * 0.8)
        scrape *= np.hanning(dur)
        add_at(out, in_room(rng, scrape, RT60_S, rng.uniform(2, 6)) * voices_rms * 0.6, t)


def cafe(rng: np.random.Generator, n: int) -> np.ndarray:
    """16 talkers (5 near, 11 far) with the cafe's sounds at fixed levels under them."""
    specs = [
        {"voice": random_voice(rng), "share": rng.uniform(0.4, 0.6), "gain_db": rng.normal(0, 2.5)}
        for _ in range(16)
    ]
    out = np.zeros(n)
    for i, x in enumerate(babble(rng, n, specs)):
        distance = rng.uniform(1.5, 4.0) if i < 5 else rng.uniform(4.0, 10.0)
        out += in_room(rng, x, RT60_S, distance)
    voices_db = 10 * np.log10(np.mean(out**2))
    out += level(crockery(rng, n), voices_db - 14)
    out += level(espresso_machine(rng, n), voices_db - 12)
    out += chairs(rng, n, 10 ** (voices_db / 20))
    hvac = shaped_noise(rng, n, [(20, 0), (100, -3), (400, -10), (2000, -25), (8000, -40)])
    return out + level(hvac, voices_db - 18)
