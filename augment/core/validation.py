"""Constructor-time parameter checks, so bad configs fail at build time naming the field."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from augment.core.errors import ConfigError


def _as_number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(name, f"expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ConfigError(name, f"expected a finite number, got {value!r}")
    return float(value)


def as_range(
    name: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    symmetric: bool = False,
) -> tuple[float, float]:
    """Normalise a scalar or a (low, high) pair to a checked (low, high) tuple.

    A scalar x means (-x, x) when `symmetric` (angles, shifts) and (x, x) otherwise.
    """
    if isinstance(value, str):  # "LO:HI" or one number, as typed on a command line
        value = value.split(":", 1) if ":" in value else _parse(name, value)
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ConfigError(name, f"expected a number or [low, high], got {value!r}")
        low, high = (
            _as_number(name, v if not isinstance(v, str) else _parse(name, v)) for v in value
        )
    else:
        x = _as_number(name, value)
        low, high = (-abs(x), abs(x)) if symmetric else (x, x)
    if low > high:
        raise ConfigError(name, f"low {low:g} is above high {high:g}")
    if lo is not None and low < lo:
        raise ConfigError(name, f"must be >= {lo:g}, got {low:g}")
    if hi is not None and high > hi:
        raise ConfigError(name, f"must be <= {hi:g}, got {high:g}")
    return (low, high)


def _parse(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigError(name, f"expected a number, got {text!r}") from None


def check_number(name: str, value: Any, lo: float | None = None, hi: float | None = None) -> float:
    """A finite number within [lo, hi]."""
    x = _as_number(name, value)
    if lo is not None and x < lo:
        raise ConfigError(name, f"must be >= {lo:g}, got {x:g}")
    if hi is not None and x > hi:
        raise ConfigError(name, f"must be <= {hi:g}, got {x:g}")
    return x


def check_int(name: str, value: Any, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number within [lo, hi]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(name, f"expected a whole number, got {value!r}")
    if lo is not None and value < lo:
        raise ConfigError(name, f"must be >= {lo}, got {value}")
    if hi is not None and value > hi:
        raise ConfigError(name, f"must be <= {hi}, got {value}")
    return value


def check_probability(name: str, value: Any) -> float:
    """A probability in [0, 1]."""
    return check_number(name, value, 0.0, 1.0)


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """One of a fixed set of options."""
    options = list(choices)
    if value not in options:
        listed = ", ".join(repr(c) for c in options)
        raise ConfigError(name, f"expected one of {listed}, got {value!r}")
    return value
