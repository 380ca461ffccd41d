"""The contract of a part of a synthetic image: a random draw of params, then a pure render.

A part (the centre glyph, its neighbours, clutter lines, the background) makes every random
choice in `draw`, as JSON-able params that go into the manifest, and makes pixels in
`render` from those params alone, so a manifest row replays exactly and a training loop can
log, filter or re-render what it saw. A synthesis task defines what its parts are drawn for
(the context: settings and what earlier parts drew) and what they paint into (the canvas),
and runs the draws, then the renders, in order. The character crop (`synth.rendering`) is
the first such task; a second one adds its own context, canvas and parts beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np

ContextT = TypeVar("ContextT", contravariant=True)
CanvasT = TypeVar("CanvasT", contravariant=True)


@runtime_checkable
class Part(Protocol[ContextT, CanvasT]):
    """Draw JSON-able params with a generator; render them, with no randomness, into a canvas."""

    def draw(self, rng: np.random.Generator, context: ContextT) -> dict[str, Any]:
        """Every random choice of the part, as JSON-able params keyed by name."""
        ...

    def render(self, params: Mapping[str, Any], canvas: CanvasT) -> None:
        """Paint the part into `canvas` from `params` alone."""
        ...
