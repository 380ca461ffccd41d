"""The contract of a part of a synthetic image: a random draw of params, then a pure render.

A part (the centre glyph, its neighbours, clutter lines, the background) makes every random
choice in `draw`, as JSON-able params that go into the manifest, and makes pixels in
`render` from those params alone, so a manifest row replays exactly and a training loop can
log, filter or re-render what it saw. It draws for a batch of examples at once, each from
its own row of uniforms (`uniforms` of them, taken from the example's generator), so an
example's params do not depend on the batch around it and the draw is array work. A
synthesis task defines what its parts are drawn for (the context: settings and what
earlier parts drew) and what they paint into (the canvas), and runs the draws, then the
renders, in order. The character crop (`synth.rendering`) is
the first such task; a second one adds its own context, canvas and parts beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np

ContextT = TypeVar("ContextT", contravariant=True)
CanvasT = TypeVar("CanvasT", contravariant=True)


@runtime_checkable
class Part(Protocol[ContextT, CanvasT]):
    """Draw JSON-able params with a generator; render them, with no randomness, into a canvas."""

    uniforms: int
    """How many uniform draws in [0, 1) one example's params are made from."""

    def draw(self, uniforms: np.ndarray, contexts: Sequence[ContextT]) -> list[dict[str, Any]]:
        """Every random choice of the part for each example, as JSON-able params keyed by
        name, from that example's row of `uniforms` (n, self.uniforms) alone."""
        ...

    def render(self, params: Mapping[str, Any], canvas: CanvasT) -> None:
        """Paint the part into `canvas` from `params` alone."""
        ...
