"""Sequence, OneOf, SomeOf and Maybe with exact probability semantics.

Each records its decisions in its params, so a recorded example replays exactly.
Consecutive steps that share a fusion key (e.g. geometry) are applied by one fuser call.
"""

from __future__ import annotations

from collections.abc import Sequence as SequenceType
from typing import Any

import numpy as np

from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.transform import Params, S, Transform, get_fuser
from augment.core.validation import check_int, check_probability


def _check_transforms(name: str, transforms: Any) -> list[Transform]:
    if isinstance(transforms, Transform) or not isinstance(transforms, SequenceType):
        raise ConfigError(name, "expected a list of transforms")
    for i, t in enumerate(transforms):
        if not isinstance(t, Transform):
            raise ConfigError(f"{name}[{i}]", f"expected a transform, got {type(t).__name__}")
    return list(transforms)


def _common_fusion_key(transforms: list[Transform]) -> str | None:
    keys = {t.fusion_key for t in transforms}
    return keys.pop() if len(keys) == 1 else None


def _record(t: Transform, params: Params) -> dict[str, Params]:
    return {type(t).__name__: params}


def _unrecord(t: Transform, record: dict[str, Params], where: str) -> Params:
    name = type(t).__name__
    if name not in record:
        raise ConfigError(where, f"recorded params are for {list(record)}, not {name}")
    return record[name]


def fusion_runs(transforms: list[Transform]) -> list[list[int]]:
    """Indices of consecutive transforms sharing a fusion key (None never fuses)."""
    runs: list[list[int]] = []
    for i, t in enumerate(transforms):
        key = t.fusion_key
        if runs and key is not None and transforms[runs[-1][0]].fusion_key == key:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


@register
class Sequence(Transform):
    """Apply transforms in order; runs of fusable steps are applied in one pass."""

    def __init__(self, transforms: list[Transform]) -> None:
        self.transforms = _check_transforms("transforms", transforms)

    @property
    def fusion_key(self) -> str | None:  # type: ignore[override]
        return _common_fusion_key(self.transforms)

    def fusion_groups(self) -> list[list[int]]:
        """Indices of steps, grouped into runs that one fuser applies together."""
        return fusion_runs(self.transforms)

    def _apply_group(self, sample: S, group: list[int], params: list[Params]) -> S:
        first = self.transforms[group[0]]
        if len(group) == 1 or first.fusion_key is None:
            return first.apply(sample, params[0])
        steps = [
            leaf
            for i, p in zip(group, params, strict=True)
            for leaf in self.transforms[i].fused_steps(p)
        ]
        return get_fuser(first.fusion_key)(sample, steps) if steps else sample

    def run(self, sample: S, rng: np.random.Generator) -> tuple[S, Params]:
        records: list[dict[str, Params]] = []
        for group in self.fusion_groups():
            if len(group) == 1:
                t = self.transforms[group[0]]
                sample, p = t.run(sample, rng)
                records.append(_record(t, p))
                continue
            drawn = [self.transforms[i].draw_params(rng, sample) for i in group]
            sample = self._apply_group(sample, group, drawn)
            records.extend(
                _record(self.transforms[i], p) for i, p in zip(group, drawn, strict=True)
            )
        return sample, {"steps": records}

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        """Draw every step against the same input (used only when fused as a whole)."""
        return {"steps": [_record(t, t.draw_params(rng, sample)) for t in self.transforms]}

    def apply(self, sample: S, params: Params) -> S:
        records = params["steps"]
        if len(records) != len(self.transforms):
            raise ConfigError("steps", f"{len(records)} records for {len(self.transforms)} steps")
        for group in self.fusion_groups():
            step_params = [_unrecord(self.transforms[i], records[i], f"steps[{i}]") for i in group]
            sample = self._apply_group(sample, group, step_params)
        return sample

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        return [
            leaf
            for t, rec in zip(self.transforms, params["steps"], strict=True)
            for leaf in t.fused_steps(_unrecord(t, rec, "steps"))
        ]


@register
class OneOf(Transform):
    """Apply exactly one transform, chosen with the given weights (uniform by default)."""

    def __init__(self, transforms: list[Transform], weights: list[float] | None = None) -> None:
        self.transforms = _check_transforms("transforms", transforms)
        if not self.transforms:
            raise ConfigError("transforms", "needs at least one transform")
        if weights is not None:
            if len(weights) != len(self.transforms):
                raise ConfigError(
                    "weights", f"{len(weights)} weights for {len(self.transforms)} transforms"
                )
            if any(not isinstance(w, int | float) or w < 0 for w in weights) or sum(weights) <= 0:
                raise ConfigError("weights", "must be non-negative numbers with a positive sum")
            weights = [float(w) for w in weights]
        self.weights = weights

    @property
    def fusion_key(self) -> str | None:  # type: ignore[override]
        return _common_fusion_key(self.transforms)

    def _choose(self, rng: np.random.Generator) -> int:
        if self.weights is None:
            return int(rng.integers(len(self.transforms)))
        w = np.asarray(self.weights)
        return int(rng.choice(len(w), p=w / w.sum()))

    def run(self, sample: S, rng: np.random.Generator) -> tuple[S, Params]:
        choice = self._choose(rng)
        out, p = self.transforms[choice].run(sample, rng)
        return out, {"choice": choice, "params": p}

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        choice = self._choose(rng)
        return {"choice": choice, "params": self.transforms[choice].draw_params(rng, sample)}

    def apply(self, sample: S, params: Params) -> S:
        return self.transforms[params["choice"]].apply(sample, params["params"])

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        return self.transforms[params["choice"]].fused_steps(params["params"])


@register
class SomeOf(Transform):
    """Apply n distinct transforms (n fixed or drawn uniformly from [low, high]), in list order."""

    def __init__(self, transforms: list[Transform], n: int | list[int] = 1) -> None:
        self.transforms = _check_transforms("transforms", transforms)
        low, high = (n, n) if isinstance(n, int) else tuple(n) if len(n) == 2 else (None, None)
        if low is None:
            raise ConfigError("n", f"expected a whole number or [low, high], got {n!r}")
        check_int("n", low, 0, len(self.transforms))
        check_int("n", high, low, len(self.transforms))
        self.n = n

    def _bounds(self) -> tuple[int, int]:
        return (self.n, self.n) if isinstance(self.n, int) else (self.n[0], self.n[1])

    def _choose(self, rng: np.random.Generator) -> list[int]:
        low, high = self._bounds()
        k = int(rng.integers(low, high + 1))
        return sorted(int(i) for i in rng.choice(len(self.transforms), size=k, replace=False))

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        """Draw the choice and each chosen step's params against the same input, in the
        order `run` draws them (so the same params when the steps keep the label)."""
        chosen = self._choose(rng)
        return {
            "chosen": chosen,
            "params": [self.transforms[i].draw_params(rng, sample) for i in chosen],
        }

    def run(self, sample: S, rng: np.random.Generator) -> tuple[S, Params]:
        chosen = self._choose(rng)
        records = []
        for i in chosen:
            sample, p = self.transforms[i].run(sample, rng)
            records.append(p)
        return sample, {"chosen": chosen, "params": records}

    def apply(self, sample: S, params: Params) -> S:
        for i, p in zip(params["chosen"], params["params"], strict=True):
            sample = self.transforms[i].apply(sample, p)
        return sample


@register
class Maybe(Transform):
    """Apply a transform with probability p (exactly: a uniform draw below p)."""

    def __init__(self, transform: Transform, p: float = 0.5) -> None:
        if not isinstance(transform, Transform):
            raise ConfigError("transform", f"expected a transform, got {type(transform).__name__}")
        self.transform = transform
        self.p = check_probability("p", p)

    @property
    def fusion_key(self) -> str | None:  # type: ignore[override]
        return self.transform.fusion_key

    def run(self, sample: S, rng: np.random.Generator) -> tuple[S, Params]:
        if rng.random() >= self.p:
            return sample, {"applied": False, "params": None}
        out, p = self.transform.run(sample, rng)
        return out, {"applied": True, "params": p}

    def draw_params(self, rng: np.random.Generator, sample: Any) -> Params:
        if rng.random() >= self.p:
            return {"applied": False, "params": None}
        return {"applied": True, "params": self.transform.draw_params(rng, sample)}

    def apply(self, sample: S, params: Params) -> S:
        return self.transform.apply(sample, params["params"]) if params["applied"] else sample

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        return self.transform.fused_steps(params["params"]) if params["applied"] else []
