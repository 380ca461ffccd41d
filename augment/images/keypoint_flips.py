"""Left and right keypoints trade names in a mirrored copy.

A mirror moves a person's left eye to where the right one was: the point moves correctly,
but its name ("left_eye") becomes wrong, which silently teaches a pose model to confuse
sides. A copy mirrored an odd number of times swaps each pair's places in the box's keypoint
list (the pairs: `augment.dataset.keypoint_names`), as pose training code does when it
flips.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from augment.dataset.keypoint_names import FlipOrders


def reflections(params: Any) -> int:
    """How many mirror flips a copy's recorded params hold (an even count cancels)."""
    if isinstance(params, Mapping):
        own = int(bool(params.get("Mirror", {}).get("flip"))) if "Mirror" in params else 0
        return own + sum(reflections(v) for k, v in params.items() if k != "Mirror")
    if isinstance(params, list):
        return sum(reflections(v) for v in params)
    return 0


def swap_sides(
    keypoints: list[list[Any]], owners: Mapping[int, str], orders: FlipOrders
) -> list[list[Any]]:
    """Keypoint rows [x, y, v, box_number, ...] with each box's left/right pairs traded:
    the row of keypoint k takes the position and visibility of keypoint partner(k)."""
    rows_of: dict[int, list[int]] = {}
    for r, row in enumerate(keypoints):
        rows_of.setdefault(int(row[3]), []).append(r)
    swapped = [list(row) for row in keypoints]
    for box, rows in rows_of.items():
        order = orders.get(owners.get(box, ""))
        if order is None or len(order) != len(rows):
            continue
        for k, r in enumerate(rows):
            swapped[r][:3] = keypoints[rows[order[k]]][:3]
    return swapped
