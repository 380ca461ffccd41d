"""Error rate by attribute, ranked by how many errors each slice would explain if fixed.

A slice is one value of a categorical attribute (font, background kind, noise file) or one
quantile bin of a numeric one (angle, SNR asked). Its excess errors are the errors it has
beyond what the overall error rate predicts for its size: the errors that would go away if
the slice were as easy as the rest. Ranking by excess, not by error rate, keeps a rare
slice with 2 errors out of 2 from outranking a common one with 300 errors too many.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

from augment.analysis.join import JoinedPrediction

MISSING = "(missing)"


@dataclass(frozen=True)
class Slice:
    """One value (or numeric bin [low, high]) of one attribute, with its error counts."""

    attribute: str
    value: str
    count: int
    errors: int
    excess: float
    low: float | None = None
    high: float | None = None

    @property
    def error_rate(self) -> float:
        return self.errors / self.count


def attribute_columns(rows: Sequence[JoinedPrediction]) -> dict[str, list[Any]]:
    """Each attribute's value per row (None where a row lacks it), attributes sorted."""
    columns: dict[str, list[Any]] = defaultdict(lambda: [None] * len(rows))
    for number, row in enumerate(rows):
        for name, value in row.attributes.items():
            columns[name][number] = value
    return {name: columns[name] for name in sorted(columns)}


def is_numeric(values: Sequence[Any]) -> bool:
    """Numbers (booleans are categories) with at least one value present."""
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, Real) and not isinstance(v, bool) for v in present)


def attribute_slices(
    rows: Sequence[JoinedPrediction], bins: int = 5, min_count: int = 5
) -> list[Slice]:
    """Slices of every attribute that varies, with at least `min_count` rows each, ranked by
    excess errors (most first; ties by attribute and value). A slice holding exactly the
    rows of a higher-ranked one (e.g. every param of a background kind being missing
    together) is left out: it is the same finding under another name."""
    wrong = np.array([r.wrong for r in rows], dtype=bool)
    rate = float(wrong.mean())
    found = []
    for name, values in attribute_columns(rows).items():
        keys, bounds = _slice_keys(values, bins)
        if len(set(keys)) < 2:
            continue
        for value, members in _groups(keys).items():
            if len(members) < min_count:
                continue
            errors = int(wrong[members].sum())
            low, high = bounds.get(value, (None, None))
            excess = errors - rate * len(members)
            found.append((Slice(name, value, len(members), errors, excess, low, high), members))
    found.sort(key=lambda pair: (-pair[0].excess, pair[0].attribute, pair[0].value))
    seen: set[bytes] = set()
    unique = []
    for found_slice, members in found:
        if members.tobytes() not in seen:
            seen.add(members.tobytes())
            unique.append(found_slice)
    return unique


def _groups(keys: list[str]) -> dict[str, np.ndarray]:
    members: dict[str, list[int]] = defaultdict(list)
    for number, key in enumerate(keys):
        members[key].append(number)
    return {key: np.array(rows) for key, rows in members.items()}


def _slice_keys(values: list[Any], bins: int) -> tuple[list[str], dict[str, tuple[float, float]]]:
    """The slice each row falls in, and the [low, high] of each numeric bin."""
    distinct = {v for v in values if v is not None}
    if not is_numeric(values) or len(distinct) <= bins:
        return [MISSING if v is None else _category(v) for v in values], {}
    numbers = np.array([np.nan if v is None else float(v) for v in values])
    present = ~np.isnan(numbers)
    edges = np.unique(np.quantile(numbers[present], np.linspace(0, 1, bins + 1)))
    which = np.searchsorted(edges[1:-1], numbers, side="right")
    names = [_bin_name(edges, k) for k in range(len(edges) - 1)]
    keys = [names[k] if ok else MISSING for k, ok in zip(which.tolist(), present, strict=True)]
    bounds = {names[k]: (float(edges[k]), float(edges[k + 1])) for k in range(len(names))}
    return keys, bounds


def _category(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _bin_name(edges: np.ndarray, k: int) -> str:
    close = "]" if k == len(edges) - 2 else ")"
    return f"[{edges[k]:.4g}, {edges[k + 1]:.4g}{close}"
