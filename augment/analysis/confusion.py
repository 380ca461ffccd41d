"""Accuracy per class and the most frequent confusions, case-only confusions counted apart.

For characters, 'o' read as 'O' is a different problem (often unfixable from a crop alone)
from 'o' read as '0'; mixing them hides which one dominates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from augment.analysis.join import JoinedPrediction


@dataclass(frozen=True)
class ClassAccuracy:
    label: str
    count: int
    errors: int
    case_only_errors: int

    @property
    def accuracy(self) -> float:
        return 1 - self.errors / self.count


@dataclass(frozen=True)
class ConfusionPair:
    label: str
    prediction: str
    count: int

    @property
    def case_only(self) -> bool:
        return is_case_only(self.label, self.prediction)


def is_case_only(label: str, prediction: str) -> bool:
    """True when the two differ only in letter case ('o' and 'O', not 'o' and '0')."""
    return label != prediction and label.casefold() == prediction.casefold()


def class_accuracy(rows: Sequence[JoinedPrediction]) -> list[ClassAccuracy]:
    """One entry per true label, sorted by label."""
    counts = Counter(r.label for r in rows)
    errors = Counter(r.label for r in rows if r.wrong)
    case = Counter(r.label for r in rows if is_case_only(r.label, r.prediction))
    return [ClassAccuracy(k, counts[k], errors[k], case[k]) for k in sorted(counts)]


def confusion_pairs(rows: Sequence[JoinedPrediction]) -> list[ConfusionPair]:
    """Every (label, prediction) pair that occurs with label != prediction, most frequent
    first (ties by label, then prediction, so the order never depends on input order)."""
    pairs = Counter((r.label, r.prediction) for r in rows if r.wrong)
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    return [ConfusionPair(label, prediction, n) for (label, prediction), n in ranked]


def confusion_matrix(
    rows: Sequence[JoinedPrediction],
) -> tuple[list[str], list[list[int]]]:
    """Classes (true labels and predictions, sorted) and counts[true][predicted]."""
    classes = sorted({r.label for r in rows} | {r.prediction for r in rows})
    position = {c: i for i, c in enumerate(classes)}
    counts = [[0] * len(classes) for _ in classes]
    for r in rows:
        counts[position[r.label]][position[r.prediction]] += 1
    return classes, counts
