"""Sequence: steps in order; runs of fusable steps are applied in one pass."""

from __future__ import annotations

from typing import Any

import numpy as np

from augment.core.combinators.common import OverSteps, check_transforms
from augment.core.errors import ConfigError
from augment.core.registry import register
from augment.core.transform import (
    B,
    BatchFuser,
    Params,
    S,
    Transform,
    get_batch_fuser,
    get_fuser,
    run_step_batch,
)


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


def _batch_fuser_of(steps: list[Transform]) -> BatchFuser:
    """The batch fuser of a run of several steps (they share a fusion key: see fusion_runs)."""
    key = steps[0].fusion_key
    assert key is not None
    return get_batch_fuser(key)


@register
class Sequence(OverSteps):
    """Apply transforms in order; runs of fusable steps are applied in one pass."""

    def __init__(self, transforms: list[Transform]) -> None:
        self.transforms = check_transforms("transforms", transforms)

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

    def run_batch(self, batch: B, rngs: list[np.random.Generator]) -> tuple[B, list[Params]]:
        """`run` for a batch, run by run: each step (or fused run) is drawn for every
        example against its current label, then applied to the whole batch (a step that
        cannot be drawn ahead, a nested Sequence included, runs example by example)."""
        records: list[list[dict[str, Params]]] = [[] for _ in rngs]
        for group in self.fusion_groups():
            steps = [self.transforms[i] for i in group]
            if len(steps) == 1:
                batch, drawn = run_step_batch(steps[0], batch, rngs)
                by_step = [drawn]
            elif all(t.draws_ahead for t in steps):
                probes = batch.probes()
                by_step = [
                    [t.draw_params(rng, probe) for rng, probe in zip(rngs, probes, strict=True)]
                    for t in steps
                ]
                batch = _batch_fuser_of(steps)(batch, steps, by_step)
            else:
                batch, by_step = self._run_group_each(batch, group, rngs)
            for t, drawn in zip(steps, by_step, strict=True):
                name = type(t).__name__
                for record, p in zip(records, drawn, strict=True):
                    record.append({name: p})
        return batch, [{"steps": record} for record in records]

    def _run_group_each(
        self, batch: B, group: list[int], rngs: list[np.random.Generator]
    ) -> tuple[B, list[list[Params]]]:
        """A fused run drawn and applied example by example (a step cannot draw ahead)."""
        samples = batch.samples()
        by_step: list[list[Params]] = [[] for _ in group]
        for k, rng in enumerate(rngs):
            drawn = [self.transforms[i].draw_params(rng, samples[k]) for i in group]
            samples[k] = self._apply_group(samples[k], group, drawn)
            for column, p in zip(by_step, drawn, strict=True):
                column.append(p)
        return batch.with_samples(samples), by_step

    def apply_batch(self, batch: B, params: list[Params]) -> B:
        for group in self.fusion_groups():
            steps = [self.transforms[i] for i in group]
            by_step = [
                [p["steps"][i][type(t).__name__] for p in params]
                for i, t in zip(group, steps, strict=True)
            ]
            if len(steps) == 1:
                batch = steps[0].apply_batch(batch, by_step[0])
            else:
                batch = _batch_fuser_of(steps)(batch, steps, by_step)
        return batch
