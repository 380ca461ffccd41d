"""What the parts of one character crop are drawn for (the context of their `draw`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synth.run.options import RenderOptions
    from synth.scene.backgrounds import BackgroundBank


@dataclass(slots=True)
class CharContext:
    """The character, its font file, the ranges to draw from, and the params drawn so far.

    neighbours: the characters that may stand beside it (those the font covers).
    params: the render params being drawn; a part reads what earlier parts put there
        (the stroke, the crop window) and the composer adds what it returns.
    """

    char: str
    path: Path
    options: RenderOptions
    neighbours: str
    bank: BackgroundBank | None
    params: dict[str, Any]
