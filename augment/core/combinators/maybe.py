"""Maybe: a transform applied with probability p."""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.combinators.common import apply_by_rows, children_draw_ahead
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.transform import B, Params, S, Transform
from augment.core.validation import check_probability


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

    @property
    def draws_ahead(self) -> bool:
        return children_draw_ahead([self.transform])

    @property
    def keeps_label(self) -> bool:
        return self.transform.keeps_label

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

    def apply_batch(self, batch: B, params: list[Params]) -> B:
        """The examples it applies to are applied together; the others stay."""
        applied = [k for k, p in enumerate(params) if p["applied"]]
        if not applied:
            return batch

        def apply_transform(_: bool, part: B, rows: list[int]) -> B:
            return self.transform.apply_batch(part, [params[k]["params"] for k in rows])

        return apply_by_rows(batch, {True: applied}, apply_transform)

    def fused_steps(self, params: Params) -> list[tuple[Transform, Params]]:
        return self.transform.fused_steps(params["params"]) if params["applied"] else []
