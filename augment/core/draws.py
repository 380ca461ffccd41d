"""Random draws the transforms share: one home, so a range means the same everywhere.

Each takes the example's generator and returns a plain Python value (params are JSON).
`uniform` spends no draw on an empty range, so fixing a range (low == high) in a config
leaves every other draw of the example unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def uniform(rng: np.random.Generator, bounds: Sequence[float]) -> float:
    """A uniform draw in [low, high] as a plain float (no draw when low == high)."""
    low, high = bounds
    return float(low) if low == high else float(low + (high - low) * rng.random())


def uniform_always(rng: np.random.Generator, bounds: Sequence[float]) -> float:
    """A uniform draw in [low, high] that always spends one draw, even on an empty range
    (synth's render params are recorded with this stream)."""
    low, high = bounds
    return float(low + (high - low) * rng.random())


def log_uniform(rng: np.random.Generator, bounds: Sequence[float]) -> float:
    """A log-uniform draw in [low, high] (both > 0), so x and 1/x are equally likely."""
    low, high = bounds
    if low == high:
        return float(low)
    return math.exp(math.log(low) + (math.log(high) - math.log(low)) * rng.random())


def choose(rng: np.random.Generator, options: Sequence[str]) -> str:
    """One option, uniformly (no draw when there is only one)."""
    return options[int(rng.random() * len(options))] if len(options) > 1 else options[0]


def draw_seed(rng: np.random.Generator) -> int:
    """A seed for a generator that recreates a large random array from small params."""
    return int(rng.random() * 2**31)
