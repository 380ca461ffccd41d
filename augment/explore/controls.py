"""What the page needs to draw a control for every constructor argument of every transform.

Nothing here is declared twice: argument names and defaults come from the constructor
signature and `get_config()`, and choices and bounds come from the constructor's own
validation (`check_choice`, `as_range`, `check_number`), asked with a value it must refuse.
So a new transform gets controls without touching the page.
"""

from __future__ import annotations

import ast
import inspect
import math
import re
from functools import cache
from typing import Any

from augment.core.errors import AugsynthError
from augment.core.registry import registered
from augment.core.transform import Transform

_CHOICES = re.compile(r"expected one of (.*), got ")
_LIST_CHOICES = re.compile(r"expected a list drawn from \[(.*)\], got ")
_LOWER = re.compile(r"must be >= (\S+), got ")
_UPPER = re.compile(r"must be <= (\S+), got ")
_NOT_A_CHOICE = "\x00not-a-choice"
_HUGE = 1e300
_HUGE_INT = 10**18


def describe_registry(kind: str) -> dict[str, dict[str, Any]]:
    """Every registered transform usable on `kind` ("image" or "audio") with its controls."""
    return {
        name: describe(name)
        for name, cls in registered().items()
        if cls.kind in (kind, "any") and name != "Sequence"
    }


@cache
def describe(name: str) -> dict[str, Any]:
    """Kind, one-line doc and the controls of one transform (cached: it builds instances)."""
    cls = registered()[name]
    doc = (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ")
    defaults = _default_config(cls)
    return {"kind": cls.kind, "doc": doc, "defaults": defaults, "controls": controls(cls, defaults)}


def controls(cls: type[Any], defaults: dict[str, Any]) -> list[dict[str, Any]]:
    """A control per constructor argument of `cls` (a transform, or any class whose
    constructor validates with augment's checks, like synth's RenderOptions)."""
    return [
        _control(cls, param, defaults)
        for param in inspect.signature(cls.__init__).parameters.values()
        if param.name != "self" and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
    ]


def _default_config(cls: type[Transform]) -> dict[str, Any]:
    """The normalised config of a default instance, or the signature's defaults when an
    argument has none (a combinator's nested step)."""
    try:
        return cls().get_config()
    except (AugsynthError, TypeError):
        parameters = inspect.signature(cls.__init__).parameters.values()
        return {p.name: p.default for p in parameters if p.default is not p.empty}


def _control(cls: type, param: inspect.Parameter, defaults: dict) -> dict[str, Any]:
    name, annotation = param.name, str(param.annotation)
    value: Any = defaults.get(name)  # any config value: the checks below tell which
    control: dict[str, Any] = {"name": name, "type": "yaml"}
    if name in getattr(cls, "nested_arguments", ()) or name not in defaults:
        return control
    if isinstance(value, bool):
        control["type"] = "bool"
    elif isinstance(value, str) or _is_text_list(value):
        choices = _probe_choices(cls, name, [_NOT_A_CHOICE] if isinstance(value, list) else None)
        if choices:
            multiple = isinstance(value, list)
            control.update(type="choices" if multiple else "choice", choices=choices)
        elif isinstance(value, str):
            control["type"] = "text"
    elif _is_pair(value) or isinstance(value, int | float):
        integer = "float" not in annotation
        kind = "range" if _is_pair(value) else "p" if name == "p" else "number"
        values = value if _is_pair(value) else [value]
        control.update(type=kind, integer=integer, **_bounds(cls, name, kind, values, integer))
    return control


def _is_pair(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _refusal(cls: type, name: str, value: Any) -> str | None:
    """The constructor's message refusing `value` for argument `name`, or None if it took it."""
    try:
        cls(**{name: value})
    except AugsynthError as err:
        return str(err)
    except (TypeError, ValueError):
        return None
    return None


def _probe_choices(cls: type, name: str, value: Any) -> list[Any] | None:
    message = _refusal(cls, name, value if value is not None else _NOT_A_CHOICE)
    match = _CHOICES.search(message or "") or _LIST_CHOICES.search(message or "")
    if not match:
        return None
    try:
        return list(ast.literal_eval(f"[{match.group(1)}]"))
    except (ValueError, SyntaxError):
        return None


def _bounds(cls: type, name: str, kind: str, values: list, integer: bool) -> dict:
    """Hard limits the constructor enforces (None where it enforces none) and a slider span:
    four times the default's magnitude, within the limits."""
    huge = _HUGE_INT if integer else _HUGE
    lo = _limit(_LOWER, _refusal(cls, name, [-huge, -huge] if kind == "range" else -huge))
    hi = _limit(_UPPER, _refusal(cls, name, [huge, huge] if kind == "range" else huge))
    if kind == "p":
        lo, hi = 0.0, 1.0
    width = 4 * (max(abs(v) for v in values) or 1.0)
    span_lo = max(-width if min(values) < 0 else 0.0, lo if lo is not None else -math.inf)
    span_hi = min(width, hi if hi is not None else math.inf)
    step = 1 if integer else _step(span_hi - span_lo)
    return {"min": lo, "max": hi, "slider": [span_lo, span_hi], "step": step}


def _limit(pattern: re.Pattern[str], message: str | None) -> float | None:
    match = pattern.search(message or "")
    if not match:
        return None
    number = float(match.group(1))
    return number if math.isfinite(number) else None


def _step(span: float) -> float:
    """A round step giving a few hundred positions over the slider."""
    if span <= 0:
        return 0.01
    return 10 ** math.floor(math.log10(span / 200))
