"""How far apart two sets are on each statistic, in units that mean the same across runs.

A statistic's distance is the 1-D Wasserstein (earth mover's) distance between its values
in the two sets, divided by the real set's standard deviation: 0 when the distributions
match, 1 when they are a typical real spread apart. It sees shape as well as the mean.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy.stats import wasserstein_distance

MIN_PER_CLASS = 3


@dataclass(frozen=True)
class StatisticDistance:
    name: str
    generated_mean: float
    real_mean: float
    distance: float


@dataclass(frozen=True)
class ClassDistance:
    label: str
    generated: int
    real: int
    mean_distance: float
    worst: str  # the statistic farthest apart for this class


def real_scales(generated: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Each statistic's real standard deviation (the pooled one where real is constant)."""
    scales = real.std(axis=0)
    pooled = np.vstack([generated, real]).std(axis=0)
    return np.where(scales > 0, scales, np.where(pooled > 0, pooled, 1.0))


def statistic_distances(
    names: tuple[str, ...],
    generated: np.ndarray,
    real: np.ndarray,
    scales: np.ndarray | None = None,
) -> list[StatisticDistance]:
    """One distance per statistic, farthest first; `scales` default to `real_scales`."""
    scales = real_scales(generated, real) if scales is None else scales
    found = []
    for k, name in enumerate(names):
        distance = wasserstein_distance(generated[:, k], real[:, k]) / scales[k]
        found.append(
            StatisticDistance(name, float(generated[:, k].mean()), float(real[:, k].mean()),
                              float(distance))
        )  # fmt: skip
    return sorted(found, key=lambda d: (-d.distance, d.name))


def class_distances(
    names: tuple[str, ...],
    generated: tuple[np.ndarray, list[str | None]],
    real: tuple[np.ndarray, list[str | None]],
) -> list[ClassDistance]:
    """Per label present in both sets (at least MIN_PER_CLASS rows each), farthest first;
    distances are in the whole real set's standard deviations, as the overall ones are
    (a class's own few rows would make a noisy yardstick)."""
    scales = real_scales(generated[0], real[0])
    gen_counts, real_counts = Counter(generated[1]), Counter(real[1])
    shared = sorted(
        label for label in gen_counts
        if label is not None and min(gen_counts[label], real_counts[label]) >= MIN_PER_CLASS
    )  # fmt: skip
    found = []
    for label in shared:
        gen_rows = generated[0][[k for k, v in enumerate(generated[1]) if v == label]]
        real_rows = real[0][[k for k, v in enumerate(real[1]) if v == label]]
        distances = statistic_distances(names, gen_rows, real_rows, scales)
        mean = float(np.mean([d.distance for d in distances]))
        found.append(ClassDistance(label, len(gen_rows), len(real_rows), mean, distances[0].name))
    return sorted(found, key=lambda c: (-c.mean_distance, c.label))
