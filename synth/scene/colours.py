"""Text and background colours with a guaranteed contrast, in both polarities.

Contrast is the WCAG 2 ratio (L1 + 0.05) / (L2 + 0.05) of sRGB relative luminances,
from 1 (same colour) to 21 (black on white). WCAG asks 3 for large text; photographed
signs go lower, so the default minimum is 2.5.

The draws are compiled (numba) per-example loops over a batch: each example's colours come
from its own row of uniforms, so a crop's colours do not depend on the batch around it.
"""

from __future__ import annotations

import math

import numba
import numpy as np

COLOUR_UNIFORMS = 9  # uniforms one random colour is drawn from


def _linear(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


LINEAR = np.asarray([_linear(v) for v in range(256)], np.float64)
LINEAR.setflags(write=False)


def luminance(colour) -> float:
    """WCAG relative luminance of an sRGB colour given as 0..255 values."""
    return _luminance(LINEAR, int(colour[0]), int(colour[1]), int(colour[2]))


def contrast_ratio(a, b) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@numba.njit(cache=True, nogil=True)
def _luminance(linear, r, g, b):
    return 0.2126 * linear[r] + 0.7152 * linear[g] + 0.0722 * linear[b]


@numba.njit(cache=True, nogil=True)
def random_colour(u, out) -> None:
    """Sign and print palettes from 9 uniforms `u`: a third near-neutral greys (tinted by
    normal draws, sd 6), the rest hues of any saturation; written to out[0:3]."""
    if u[0] < 0.35:
        grey = u[1] * 255.0
        # Box-Muller: two pairs of uniforms give four normals (three are used)
        radius_a = math.sqrt(-2.0 * math.log(1.0 - u[2]))
        radius_b = math.sqrt(-2.0 * math.log(1.0 - u[4]))
        tints = (
            radius_a * math.cos(2.0 * math.pi * u[3]),
            radius_a * math.sin(2.0 * math.pi * u[3]),
            radius_b * math.cos(2.0 * math.pi * u[5]),
        )
        for c in range(3):
            out[c] = int(min(255.0, max(0.0, grey + 6.0 * tints[c])))
        return
    hue = u[6] * 6.0
    sat = u[7] ** 0.7
    val = 0.15 + 0.85 * u[8]
    sector, frac = int(hue) % 6, hue - int(hue)
    p, q, t = val * (1 - sat), val * (1 - sat * frac), val * (1 - sat * (1 - frac))
    rgb = (
        (val, t, p),
        (q, val, p),
        (p, val, t),
        (p, q, val),
        (t, p, val),
        (val, p, q),
    )[sector]
    for c in range(3):
        out[c] = round(255.0 * rgb[c])


@numba.njit(cache=True, nogil=True)
def limit(linear, refs, count, minimum, dark):
    """The luminance text must stay below (dark) or above (light) to reach `minimum`
    against the first `count` colours of `refs` (k, 3)."""
    best = math.inf if dark else -math.inf
    for k in range(count):
        la = _luminance(linear, refs[k, 0], refs[k, 1], refs[k, 2])
        best = min(best, (la + 0.05) / minimum) if dark else max(best, minimum * (la + 0.05))
    return best - 0.05


@numba.njit(cache=True, nogil=True)
def reachable(value, dark):
    return value >= 0.0 if dark else value <= 1.0


@numba.njit(cache=True, nogil=True)
def can_reach_either(linear, refs, count, minimum):
    """Whether dark or light text can reach `minimum` against the first `count` refs."""
    return reachable(limit(linear, refs, count, minimum, True), True) or reachable(
        limit(linear, refs, count, minimum, False), False
    )


@numba.njit(cache=True, nogil=True)
def _push(linear, colour, bound, dark) -> None:
    """`colour` (in place) mixed towards black (dark) or white just enough for its
    luminance to pass `bound`: a bisection on the mix to 1/256 (one grey level)."""
    r, g, b = colour[0], colour[1], colour[2]
    lum = _luminance(linear, r, g, b)
    if (lum <= bound) if dark else (lum >= bound):
        return
    target = 0.0 if dark else 255.0
    low, high = 0.0, 1.0
    for _ in range(8):
        mid = 0.5 * (low + high)
        lum = _luminance(
            linear,
            int(r + (target - r) * mid + 0.5),
            int(g + (target - g) * mid + 0.5),
            int(b + (target - b) * mid + 0.5),
        )
        if (lum <= bound) if dark else (lum >= bound):
            high = mid
        else:
            low = mid
    for c in range(3):
        colour[c] = int(colour[c] + (target - colour[c]) * high + 0.5)


@numba.njit(cache=True, nogil=True)
def pick_text_colours(linear, uniforms, refs, counts, minimum, p_dark):
    """Per example i, a text colour (n, 3) with contrast >= `minimum` to each of its first
    counts[i] refs (n, k, 3), from uniforms[i] (1 + COLOUR_UNIFORMS): dark-on-light with
    probability `p_dark` where both polarities reach the minimum."""
    n = uniforms.shape[0]
    out = np.empty((n, 3), np.int64)
    for i in range(n):
        dark_bound = limit(linear, refs[i], counts[i], minimum, True)
        light_bound = limit(linear, refs[i], counts[i], minimum, False)
        can_dark, can_light = reachable(dark_bound, True), reachable(light_bound, False)
        if can_dark and can_light:
            dark = uniforms[i, 0] < p_dark
        elif can_dark or can_light:
            dark = can_dark
        else:  # a mid-grey background with an extreme minimum: best effort
            mean = np.zeros(3)
            for k in range(counts[i]):
                mean += refs[i, k]
            mean /= counts[i]
            dark = _luminance(linear, int(mean[0]), int(mean[1]), int(mean[2])) > 0.18
        random_colour(uniforms[i, 1:], out[i])
        _push(linear, out[i], dark_bound if dark else light_bound, dark)
    return out
