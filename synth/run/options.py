"""Render options: the ranges the random draw picks from (the `render:` part of synth.yaml)."""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from augment.core.errors import ConfigError
from augment.core.validation import as_range, check_probability
from synth.scene.background_draws import KINDS

# Neighbours are drawn uniformly from this string; repeats weight lower case, as in words.
DEFAULT_NEIGHBOURS = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnoprstuABCDEFGHIJKLMNOPRSTU0123456789"


@dataclass(frozen=True)
class RenderOptions:
    """Ranges for `draw_render_params`; every field has a realistic default.

    size: output (height, width) in pixels.
    min_contrast: WCAG contrast ratio between text and background colours (1..21).
    p_dark_text: probability of dark text on a light background (else light on dark).
    p_line_crop: probability of a crop spanning the text line's height, centred on the
        character (like fixed-height crops cut from words); otherwise the crop is the
        character's ink box plus `margin` and is stretched to `size`, like boxes from a
        detector or a labelled data set. Punctuation too small for an ink-box crop
        (full stop, comma, ...) always gets a line crop.
    margin: [low, high] extra space per side, as a fraction of the ink box.
    crop_aspect: [low, high] height/width of an ink-box crop window before it is stretched
        to `size`, drawn log-uniformly, like boxes people draw around a character (taller
        than wide, whatever the glyph) that a classifier squeezes to a square: the window
        keeps its height (ink plus vertical margins) and takes that aspect's width, never
        narrower than the ink (a wide glyph then touches the sides), placed by the drawn
        side margins. None (default): the ink box plus margins, at its own aspect.
    stroke: [low, high] outline width (synthetic bold) in em, applied with p_stroke.
    p_neighbour: probability of a neighbouring character on each side, placed with the
        font's advance widths and kerning plus `tracking` em of extra letter spacing.
    neighbours: characters neighbours are drawn from (those the font covers).
    p_underline, p_border: probability of an underline or a frame line near an edge.
    backgrounds: weights of background kinds (flat, gradient, noise, image); "image"
        is used only when a backgrounds folder is given.
    supersample: minimum ratio of the internal render resolution to the output.
    """

    size: tuple[int, int] = (32, 32)
    min_contrast: float = 2.5
    p_dark_text: float = 0.5
    p_line_crop: float = 0.3
    margin: tuple[float, float] = (0.02, 0.3)
    crop_aspect: tuple[float, float] | None = None
    stroke: tuple[float, float] = (0.005, 0.035)
    p_stroke: float = 0.25
    p_neighbour: float = 0.6
    tracking: tuple[float, float] = (-0.02, 0.12)
    neighbours: str = DEFAULT_NEIGHBOURS
    p_underline: float = 0.08
    p_border: float = 0.08
    backgrounds: dict[str, float] = field(
        default_factory=lambda: {"flat": 0.35, "gradient": 0.25, "noise": 0.4, "image": 0.6}
    )
    supersample: float = 2.0

    def __post_init__(self) -> None:
        size = self.size if not isinstance(self.size, int) else (self.size, self.size)
        if len(size) != 2 or any(not isinstance(v, int) or not 4 <= v <= 1024 for v in size):
            raise ConfigError("size", f"expected [height, width] whole numbers 4..1024, got {size}")
        object.__setattr__(self, "size", tuple(size))
        if not 1.0 <= float(self.min_contrast) <= 21.0:
            raise ConfigError("min_contrast", f"expected 1..21, got {self.min_contrast}")
        for name in (
            "p_dark_text",
            "p_line_crop",
            "p_stroke",
            "p_neighbour",
            "p_underline",
            "p_border",
        ):
            check_probability(name, getattr(self, name))
        object.__setattr__(self, "margin", as_range("margin", self.margin, 0.0, 2.0))
        if self.crop_aspect is not None:
            aspect = as_range("crop_aspect", self.crop_aspect, 0.2, 5.0)
            if aspect[0] <= 0:
                raise ConfigError("crop_aspect", f"expected heights/widths > 0, got {aspect}")
            object.__setattr__(self, "crop_aspect", aspect)
        object.__setattr__(self, "stroke", as_range("stroke", self.stroke, 0.0, 0.2))
        object.__setattr__(self, "tracking", as_range("tracking", self.tracking, -0.5, 2.0))
        if not isinstance(self.neighbours, str) or not self.neighbours:
            raise ConfigError("neighbours", "expected a non-empty string of characters")
        if not isinstance(self.backgrounds, dict) or not self.backgrounds:
            raise ConfigError("backgrounds", f"expected weights for some of {list(KINDS)}")
        for kind, weight in self.backgrounds.items():
            if kind not in KINDS:
                raise ConfigError(f"backgrounds.{kind}", f"unknown kind (expected {list(KINDS)})")
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise ConfigError(f"backgrounds.{kind}", f"expected a number, got {weight!r}")
            if not math.isfinite(weight) or weight < 0:
                raise ConfigError(f"backgrounds.{kind}", f"expected a weight >= 0, got {weight}")
        if sum(self.backgrounds.values()) <= 0:
            raise ConfigError("backgrounds", "the weights add up to 0: no background can be drawn")
        if not 1.0 <= float(self.supersample) <= 8.0:
            raise ConfigError("supersample", f"expected 1..8, got {self.supersample}")

    @classmethod
    def from_dict(cls, config: dict[str, Any] | None, **overrides: Any) -> RenderOptions:
        """Options from a parsed `render:` mapping; unknown keys are errors."""
        config = dict(config or {})
        known = {f.name for f in dataclasses.fields(cls)}
        for key in config:
            if key not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                listed = ", ".join(sorted(known))
                raise ConfigError(key, f"unknown render option ({hint}known: {listed})")
        config.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**config)

    def to_dict(self) -> dict[str, Any]:
        """The options as JSON-able values; crop_aspect only when set (records made
        without it keep their bytes)."""
        data = dataclasses.asdict(self)
        if data["crop_aspect"] is None:
            del data["crop_aspect"]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}
