"""OneOf: exactly one of the transforms, chosen with the given weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.combinators.common import (
    OverSteps,
    apply_by_rows,
    check_transforms,
    rows_by,
)
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.transform import B, Params, S, Transform


@register
class OneOf(OverSteps):
    """Apply exactly one transform, chosen with the given weights (uniform by default)."""

    def __init__(self, transforms: list[Transform], weights: list[float] | None = None) -> None:
        self.transforms = check_transforms("transforms", transforms)
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

    def apply_batch(self, batch: B, params: list[Params]) -> B:
        """The examples that chose the same transform are applied together."""

        def apply_choice(choice: int, part: B, rows: list[int]) -> B:
            return self.transforms[choice].apply_batch(part, [params[k]["params"] for k in rows])

        return apply_by_rows(batch, rows_by([p["choice"] for p in params]), apply_choice)

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        return self.transforms[params["choice"]].fused_steps(params["params"])
