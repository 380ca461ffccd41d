"""Per-row annotations (boxes, keypoints) as users hold them: the coordinate columns apart
from anything after them, and back in the type that came in.

An (N, 4 + k) array or a list of rows like [x, y, w, h, "cat"] both work: the first columns
are coordinates the pipeline moves, the others (class ids, names, scores) are carried with
their row and dropped with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from augment.calls.errors import CallError
from augment.calls.pixels import is_tensor


@dataclass(frozen=True)
class Rows:
    """Coordinates (N, width) float64 and the other columns of each row."""

    coords: np.ndarray
    rest: Any  # an (N, k) array for array input, else a list of tuples
    as_array: Any  # the input array's dtype, or None for a list of rows

    def rebuild(self, coords: np.ndarray, kept: list[int]) -> Any:
        """Rows for the kept inputs with new coordinates, in the type that came in."""
        if self.as_array is not None:
            rest = self.rest[np.asarray(kept, dtype=np.intp)]
            dtype = self.as_array if np.issubdtype(self.as_array, np.floating) else np.float64
            return np.concatenate([coords, rest], axis=1).astype(dtype, copy=False)
        return [
            (*(float(v) for v in row), *self.rest[k]) for row, k in zip(coords, kept, strict=True)
        ]


def split_rows(value: Any, width: int, argument: str) -> Rows:
    """The rows of `value` split into `width` coordinate columns and the rest."""
    if isinstance(value, np.ndarray):
        array = value.reshape(0, width) if value.size == 0 else value
        if array.ndim != 2 or array.shape[1] < width:
            raise CallError(argument, f"shape {value.shape}: expected (N, {width}) or more columns")
        if not np.issubdtype(array.dtype, np.number):
            raise CallError(argument, f"dtype {array.dtype}: expected numbers")
        coords = array[:, :width].astype(np.float64)
        rows = Rows(coords, array[:, width:], array.dtype)
    else:
        rows = _split_list(value, width, argument)
    bad = np.flatnonzero(~np.all(np.isfinite(rows.coords), axis=1))
    if len(bad):
        raise CallError(f"{argument}[{bad[0]}]", "NaN or infinite coordinate")
    return rows


def _split_list(value: Any, width: int, argument: str) -> Rows:
    try:
        rows = [tuple(row) for row in value]
    except TypeError:
        raise CallError(
            argument, f"expected an array or a list of rows, got {type(value).__name__}"
        ) from None
    coords = np.zeros((len(rows), width))
    for i, row in enumerate(rows):
        if len(row) < width:
            raise CallError(f"{argument}[{i}]", f"expected at least {width} values, got {len(row)}")
        try:
            coords[i] = [float(v) for v in row[:width]]
        except (TypeError, ValueError):
            raise CallError(
                f"{argument}[{i}]", f"coordinates must be numbers, got {row[:width]}"
            ) from None
    return Rows(coords, [row[width:] for row in rows], None)


def take(values: Any, kept: list[int]) -> Any:
    """The kept items of a per-box sequence (list, tuple, array, tensor), in its own type."""
    if isinstance(values, np.ndarray):
        return values[np.asarray(kept, dtype=np.intp)]
    if is_tensor(values):
        return values[kept]
    picked = [values[k] for k in kept]
    return tuple(picked) if isinstance(values, tuple) else picked
