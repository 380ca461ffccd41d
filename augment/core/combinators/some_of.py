"""SomeOf: n distinct transforms (fixed or drawn) applied in list order."""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.combinators.common import apply_by_rows, check_transforms, rows_by
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.transform import B, Params, S, Transform
from augment.core.validation import check_int


@register
class SomeOf(Transform):
    """Apply n distinct transforms (n fixed or drawn uniformly from [low, high]), in list order."""

    def __init__(self, transforms: list[Transform], n: int | list[int] = 1) -> None:
        self.transforms = check_transforms("transforms", transforms)
        low, high = (n, n) if isinstance(n, int) else tuple(n) if len(n) == 2 else (None, None)
        if low is None:
            raise ConfigError("n", f"expected a whole number or [low, high], got {n!r}")
        check_int("n", low, 0, len(self.transforms))
        check_int("n", high, low, len(self.transforms))
        self.n = n

    @property
    def draws_ahead(self) -> bool:
        """`run` applies each chosen step before drawing the next (never fused), so a step
        changing the label would change what a later draw sees."""
        return all(t.draws_ahead and t.keeps_label for t in self.transforms)

    @property
    def keeps_label(self) -> bool:
        return all(t.keeps_label for t in self.transforms)

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

    def apply_batch(self, batch: B, params: list[Params]) -> B:
        """Depth by depth (each example's k-th chosen step sees its (k-1)-th's output): at
        one depth, the examples that chose the same step are applied together."""
        depth = 0
        while True:
            rows = [k for k, p in enumerate(params) if len(p["chosen"]) > depth]
            if not rows:
                return batch
            batch = self._apply_depth(batch, params, rows, depth)
            depth += 1

    def _apply_depth(self, batch: B, params: list[Params], rows: list[int], depth: int) -> B:
        """The `depth`-th chosen step of the examples at `rows`."""
        by_step = {
            step: [rows[j] for j in js]
            for step, js in rows_by([params[k]["chosen"][depth] for k in rows]).items()
        }

        def apply_step(step: int, part: B, part_rows: list[int]) -> B:
            step_params = [params[k]["params"][depth] for k in part_rows]
            return self.transforms[step].apply_batch(part, step_params)

        return apply_by_rows(batch, by_step, apply_step)
