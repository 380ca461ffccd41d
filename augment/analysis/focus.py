"""Spend a generation budget where the errors are: allocation by focus.yaml, and balance.

`focus_tasks` takes the candidate tasks of a run (dicts with a label and attributes, e.g.
synth's {"char", "font"} or augment's input entries), a budget and a focus document, and
returns exactly `budget` tasks, each a copy of a candidate with a `focus_reason`:

- a floor share of the budget is spread evenly over every class ("floor"), so nothing
  is starved: each class gets at least floor(budget * floor / classes) tasks;
- the rest goes to the focus sections by their weights: classes ("class o"), confusion
  pairs, shared by both classes of the pair ("confusion o->0"), and attribute slices,
  to the candidates whose attribute matches ("slice font=X.ttf"; only attributes the
  tasks carry: a param drawn while making an example cannot be aimed at); a section or
  item no candidate matches gives its share back to the others;
- counts are apportioned by largest remainder, a target's candidates are cycled in a
  seeded order (so fonts etc. share it evenly), and the result is in a seeded order.

Same inputs, same output. `balance_tasks` brings minority classes up to a target count
with extra tasks ("balance o"), each an augmentation of an input of that class, never a
plain copy (the maker draws new params for every task index).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.analysis.flatten import flatten
from augment.analysis.slices import MISSING

Task = dict[str, Any]
REASON = "focus_reason"


@dataclass(frozen=True)
class FocusWeights:
    """`floor`: share of the budget spread evenly over every class; the other three split
    the rest between the sections of focus.yaml."""

    floor: float = 0.25
    classes: float = 0.35
    confusions: float = 0.4
    slices: float = 0.25

    def __post_init__(self) -> None:
        if not 0 <= self.floor <= 1:
            raise ValueError(f"floor must be in [0, 1], got {self.floor}")
        if min(self.classes, self.confusions, self.slices) < 0:
            raise ValueError("section weights must not be negative")


@dataclass(frozen=True)
class Target:
    """A group of candidate tasks (indices) that gets `weight` of the budget, and why."""

    reason: str
    weight: float
    candidates: tuple[int, ...]


def focus_tasks(
    tasks: Sequence[Task],
    budget: int,
    focus: Mapping[str, Any],
    *,
    label_key: str = "label",
    weights: FocusWeights = FocusWeights(),
    seed: int = 0,
) -> list[Task]:
    """`budget` tasks drawn from the candidate `tasks` as focus.yaml says (module docstring)."""
    if budget < 0:
        raise ValueError(f"budget must not be negative, got {budget}")
    if not tasks:
        raise ValueError("no candidate tasks")
    targets = focus_targets(tasks, focus, label_key, weights)
    counts = apportion(budget, [t.weight for t in targets])
    chosen: list[Task] = []
    for number, (target, count) in enumerate(zip(targets, counts, strict=True)):
        order = np.random.default_rng([seed, number]).permutation(len(target.candidates))
        for k in range(count):
            task = tasks[target.candidates[order[k % len(order)]]]
            chosen.append({**task, REASON: target.reason})
    mixed = np.random.default_rng([seed, len(targets)]).permutation(len(chosen))
    return [chosen[k] for k in mixed]


def focus_targets(
    tasks: Sequence[Task], focus: Mapping[str, Any], label_key: str, weights: FocusWeights
) -> list[Target]:
    """Floor targets (one per class, sorted) then the focus items that match candidates,
    with weights summing to 1."""
    by_label: dict[str, list[int]] = {}
    for index, task in enumerate(tasks):
        by_label.setdefault(str(task[label_key]), []).append(index)
    labels = sorted(by_label)
    floor = [Target("floor", weights.floor / len(labels), tuple(by_label[x])) for x in labels]
    sections = [
        (weights.classes, _class_targets(focus.get("classes", []), by_label)),
        (weights.confusions, _confusion_targets(focus.get("confusions", []), by_label)),
        (weights.slices, _slice_targets(focus.get("slices", []), tasks)),
    ]
    sections = [(w, items) for w, items in sections if items and w > 0]
    if not sections:  # nothing to focus on: everything is floor
        return [Target("floor", 1 / len(labels), t.candidates) for t in floor]
    rest = 1 - weights.floor
    total = sum(w for w, _ in sections)
    focused = []
    for section_weight, items in sections:
        item_total = sum(t.weight for t in items)
        share = rest * section_weight / total
        focused += [Target(t.reason, share * t.weight / item_total, t.candidates) for t in items]
    return floor + focused


def _class_targets(items: list[dict], by_label: dict[str, list[int]]) -> list[Target]:
    return [
        Target(f"class {item['label']}", float(item["weight"]), tuple(by_label[str(item["label"])]))
        for item in items
        if str(item["label"]) in by_label and item["weight"] > 0
    ]


def _confusion_targets(items: list[dict], by_label: dict[str, list[int]]) -> list[Target]:
    targets = []
    for item in items:
        pair = [str(item["label"]), str(item["prediction"])]
        candidates = tuple(i for label in pair for i in by_label.get(label, []))
        if candidates and item["weight"] > 0:
            reason = f"confusion {pair[0]}->{pair[1]}"
            targets.append(Target(reason, float(item["weight"]), candidates))
    return targets


def _slice_targets(items: list[dict], tasks: Sequence[Task]) -> list[Target]:
    """Slices on attributes the tasks carry: one no task has (e.g. a param drawn while
    making the example) cannot be aimed at, not even by its '(missing)' value."""
    flat = [flatten(task) for task in tasks]
    carried = {name.removeprefix("columns.") for attributes in flat for name in attributes}
    targets = []
    for item in items:
        if item["attribute"] not in carried or item["weight"] <= 0:
            continue
        candidates = tuple(
            i for i, attributes in enumerate(flat) if slice_matches(item, attributes)
        )
        if candidates:
            reason = f"slice {item['attribute']}={item['value']}"
            targets.append(Target(reason, float(item["weight"]), candidates))
    return targets


def slice_matches(item: Mapping[str, Any], attributes: Mapping[str, Any]) -> bool:
    """Whether a task's (flattened) attributes fall in a focus.yaml slice: a numeric bin
    by its [low, high] bounds, a category by its text, '(missing)' by absence. A manifest
    column is looked up under `columns.` too, where augment's input tasks keep them."""
    name = item["attribute"]
    value = attributes.get(name, attributes.get(f"columns.{name}"))
    if item["value"] == MISSING:
        return value is None
    if value is None:
        return False
    if "low" in item:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return number and item["low"] <= value <= item["high"]
    return (value if isinstance(value, str) else repr(value)) == str(item["value"])


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integers summing to `total` in proportion to `weights` (largest remainder; ties go
    to the earlier weight). Each gets at least the floor of its exact share."""
    shares = np.asarray(weights, dtype=np.float64)
    shares = shares / shares.sum() * total
    counts = np.floor(shares).astype(int)
    order = sorted(range(len(shares)), key=lambda k: (-(shares[k] - counts[k]), k))
    for k in order[: total - int(counts.sum())]:
        counts[k] += 1
    return counts.tolist()


def balance_counts(class_counts: Mapping[str, int], target: int | None = None) -> dict[str, int]:
    """Extra examples per class to reach `target` (default: the largest class); a class
    already above it gets none (balancing never drops data)."""
    goal = max(class_counts.values(), default=0) if target is None else target
    return {label: max(0, goal - n) for label, n in sorted(class_counts.items())}


def balance_tasks(
    tasks: Sequence[Task], target: int | None = None, *, label_key: str = "label", seed: int = 0
) -> list[Task]:
    """The tasks (reason 'input') followed by extra tasks bringing every labelled class up
    to `target`, cycling over the class's own tasks in a seeded order (reason 'balance X').
    Unlabelled tasks are kept and not counted."""
    by_label: dict[str, list[int]] = {}
    for index, task in enumerate(tasks):
        if task.get(label_key) is not None:
            by_label.setdefault(str(task[label_key]), []).append(index)
    extra = balance_counts(Counter({k: len(v) for k, v in by_label.items()}), target)
    out = [{**task, REASON: "input"} for task in tasks]
    for number, label in enumerate(sorted(extra)):
        members = by_label[label]
        order = np.random.default_rng([seed, number]).permutation(len(members))
        out += [
            {**tasks[members[order[k % len(members)]]], REASON: f"balance {label}"}
            for k in range(extra[label])
        ]
    return out
