"""Text and background colours with a guaranteed contrast, in both polarities.

Contrast is the WCAG 2 ratio (L1 + 0.05) / (L2 + 0.05) of sRGB relative luminances,
from 1 (same colour) to 21 (black on white). WCAG asks 3 for large text; photographed
signs go lower, so the default minimum is 2.5.
"""

from __future__ import annotations

import numpy as np

Colour = list[int]  # [r, g, b], 0..255


def _linear(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


_LINEAR = [_linear(v) for v in range(256)]


def luminance(colour) -> float:
    """WCAG relative luminance of an sRGB colour given as 0..255 values."""
    r, g, b = colour
    return 0.2126 * _LINEAR[int(r)] + 0.7152 * _LINEAR[int(g)] + 0.0722 * _LINEAR[int(b)]


def contrast_ratio(a, b) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def random_colour(rng: np.random.Generator) -> Colour:
    """Sign and print palettes: a third near-neutral greys, the rest hues of any saturation."""
    if rng.random() < 0.35:
        grey = rng.random() * 255.0
        tint = rng.normal(0.0, 6.0, 3).tolist()
        return [int(min(255.0, max(0.0, grey + t))) for t in tint]
    hue = rng.random() * 6.0
    sat = rng.random() ** 0.7
    val = 0.15 + 0.85 * rng.random()
    sector, frac = int(hue) % 6, hue - int(hue)
    p, q, t = val * (1 - sat), val * (1 - sat * frac), val * (1 - sat * (1 - frac))
    rgb = [(val, t, p), (q, val, p), (p, val, t), (p, q, val), (t, p, val), (val, p, q)][sector]
    return [round(255 * v) for v in rgb]


def _mix(colour: Colour, target: float, t: float) -> Colour:
    r, g, b = colour
    return [
        int(r + (target - r) * t + 0.5),
        int(g + (target - g) * t + 0.5),
        int(b + (target - b) * t + 0.5),
    ]


def _limit(lums: list[float], minimum: float, dark: bool) -> float:
    """The luminance text must stay below (dark) or above (light) to reach `minimum`
    against colours of luminances `lums`."""
    if dark:
        return min((la + 0.05) / minimum for la in lums) - 0.05
    return max(minimum * (la + 0.05) for la in lums) - 0.05


def _reachable(limit: float, dark: bool) -> bool:
    return limit >= 0.0 if dark else limit <= 1.0


def _push(colour: Colour, limit: float, dark: bool) -> Colour:
    """`colour` mixed towards black (dark) or white just enough for its luminance to pass
    `limit`: a bisection on the mix to 1/256 (one grey level), luminance inlined (hot path)."""
    r, g, b = colour
    lum = luminance(colour)
    if (lum <= limit) if dark else (lum >= limit):
        return colour
    target = 0.0 if dark else 255.0
    low, high = 0.0, 1.0
    for _ in range(8):
        mid = 0.5 * (low + high)
        lum = (
            0.2126 * _LINEAR[int(r + (target - r) * mid + 0.5)]
            + 0.7152 * _LINEAR[int(g + (target - g) * mid + 0.5)]
            + 0.0722 * _LINEAR[int(b + (target - b) * mid + 0.5)]
        )
        if (lum <= limit) if dark else (lum >= limit):
            high = mid
        else:
            low = mid
    return _mix(colour, target, high)


def can_reach_either(against: list[Colour], minimum: float) -> bool:
    """Whether dark or light text can reach `minimum` against every colour of `against`."""
    lums = [luminance(a) for a in against]
    return any(_reachable(_limit(lums, minimum, dark), dark) for dark in (True, False))


def pick_text_colour(
    rng: np.random.Generator, against: list[Colour], minimum: float, p_dark: float = 0.5
) -> Colour:
    """A text colour with contrast >= `minimum` to every colour in `against`.

    Dark-on-light with probability `p_dark` where both polarities can reach the minimum.
    """
    lums = [luminance(a) for a in against]
    limits = {dark: _limit(lums, minimum, dark) for dark in (True, False)}
    options = [dark for dark in (True, False) if _reachable(limits[dark], dark)]
    if not options:  # a mid-grey background with an extreme minimum: best effort
        options = [luminance(np.mean(against, axis=0)) > 0.18]
    dark = options[0] if len(options) == 1 else bool(rng.random() < p_dark)
    return _push(random_colour(rng), limits[dark], dark)
