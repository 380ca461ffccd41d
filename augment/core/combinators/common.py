"""What the combinators share: checking their children, whether a batch can be drawn
ahead through them, and applying a batch one group of rows at a time."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from collections.abc import Sequence as SequenceType
from typing import Any, TypeVar

from augment.core.errors import ConfigError
from augment.core.transform import B, Transform

K = TypeVar("K", bound=Hashable)


def check_transforms(name: str, transforms: Any) -> list[Transform]:
    if isinstance(transforms, Transform) or not isinstance(transforms, SequenceType):
        raise ConfigError(name, "expected a list of transforms")
    for i, t in enumerate(transforms):
        if not isinstance(t, Transform):
            raise ConfigError(f"{name}[{i}]", f"expected a transform, got {type(t).__name__}")
    return list(transforms)


def common_fusion_key(transforms: list[Transform]) -> str | None:
    keys = {t.fusion_key for t in transforms}
    return keys.pop() if len(keys) == 1 else None


def children_draw_ahead(children: list[Transform]) -> bool:
    """Whether a combinator drawing its children against one input draws what its `run`
    draws: every child draws ahead, and none changes the label a later draw reads, unless
    all of them fuse into one run (`run` draws a fused run against its input too)."""
    return all(c.draws_ahead for c in children) and (
        all(c.keeps_label for c in children) or common_fusion_key(children) is not None
    )


class OverSteps(Transform):
    """What a combinator over a list of steps says of itself, from its steps: they fuse
    when all share a fusion key, draw ahead as `children_draw_ahead` says, keep the label
    when every one does."""

    transforms: list[Transform]

    @property
    def fusion_key(self) -> str | None:  # type: ignore[override]
        return common_fusion_key(self.transforms)

    @property
    def draws_ahead(self) -> bool:
        return children_draw_ahead(self.transforms)

    @property
    def keeps_label(self) -> bool:
        return all(t.keeps_label for t in self.transforms)


def apply_by_rows(
    batch: B, rows_by_key: dict[K, list[int]], apply_part: Callable[[K, B, list[int]], B]
) -> B:
    """`apply_part(key, part, rows)` on each group of rows as a batch of its own (e.g. the
    examples that chose the same branch); rows in no group stay as they are."""
    if len(rows_by_key) == 1:
        ((key, rows),) = rows_by_key.items()
        if len(rows) == len(batch):  # every example, in order: no copies
            return apply_part(key, batch, rows)
    parts = [(rows, apply_part(key, batch.take(rows), rows)) for key, rows in rows_by_key.items()]
    return batch.merge(parts)


def rows_by(keys: list[K]) -> dict[K, list[int]]:
    """The rows of each key, in order of first appearance."""
    rows: dict[K, list[int]] = {}
    for row, key in enumerate(keys):
        rows.setdefault(key, []).append(row)
    return rows
