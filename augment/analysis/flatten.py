"""Nested generation params as flat attributes with dotted names.

`{"params": {"steps": [{"Rotate": {"angle": 3.5}}]}}` becomes
`{"params.steps.0.Rotate.angle": 3.5}`: every leaf a slice of the errors can be cut on.
"""

from __future__ import annotations

from typing import Any


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaves of `row` (dicts and lists walked) keyed by their dotted path; an empty dict or
    list stays as one leaf, so its presence is still an attribute."""
    flat: dict[str, Any] = {}
    _walk(row, prefix, flat)
    return flat


def _walk(value: Any, path: str, flat: dict[str, Any]) -> None:
    kind = type(value)  # exact types: JSON gives only these, and it is twice as fast
    if kind is dict and value:
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), flat)
    elif kind is list and value:
        for number, item in enumerate(value):
            _walk(item, f"{path}.{number}" if path else str(number), flat)
    elif kind is dict or kind is list:
        flat[path] = "(empty)"
    else:
        flat[path] = value
