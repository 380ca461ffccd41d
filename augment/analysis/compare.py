"""`augment compare GENERATED REAL`: how far generated data is from a real target set.

Three answers, from coarse to fine: the AUC of a domain classifier on the fixed
statistics (0.5 = indistinguishable), each statistic's distance, and the same per class
where both sets have labels. All are deterministic for a given seed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from augment.analysis.distances import (
    ClassDistance,
    StatisticDistance,
    class_distances,
    statistic_distances,
)
from augment.analysis.domain_auc import domain_auc
from augment.analysis.feature_sets import FeatureSet, load_feature_set
from augment.core.errors import InputError


@dataclass(frozen=True)
class CompareOptions:
    limit: int = 2000  # rows (crops or audio segments) per set
    seed: int = 0
    segment_seconds: float = 1.0


@dataclass(frozen=True)
class Comparison:
    kind: str
    auc: float
    generated: int  # rows compared
    real: int
    statistics: list[StatisticDistance]
    classes: list[ClassDistance]
    skipped: list[str]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def compare_sets(generated: FeatureSet, real: FeatureSet, seed: int = 0) -> Comparison:
    """Compare two loaded sets of the same kind."""
    if generated.kind != real.kind:
        raise InputError("compare", f"generated is {generated.kind}, real is {real.kind}")
    groups = (np.array([str(p) for p in generated.files]), np.array([str(p) for p in real.files]))
    if min(len(set(groups[0])), len(set(groups[1]))) < 2:
        raise InputError("compare", "need at least 2 readable files in each set")
    return Comparison(
        kind=generated.kind,
        auc=domain_auc(generated.values, real.values, seed, groups),
        generated=len(generated.values),
        real=len(real.values),
        statistics=statistic_distances(generated.names, generated.values, real.values),
        classes=class_distances(
            generated.names, (generated.values, generated.labels), (real.values, real.labels)
        ),
        skipped=generated.skipped + real.skipped,
    )


def compare_folders(
    generated: Path, real: Path, options: CompareOptions = CompareOptions()
) -> tuple[Comparison, FeatureSet, FeatureSet]:
    """Load both folders and compare them; the sets come back for the picture."""
    sets = [
        load_feature_set(folder, options.limit, options.seed, options.segment_seconds)
        for folder in (generated, real)
    ]
    return compare_sets(sets[0], sets[1], options.seed), sets[0], sets[1]
