"""Left and right keypoints trade names in a mirrored copy.

A mirror moves a person's left eye to where the right one was: the point moves correctly,
but its name ("left_eye") becomes wrong, which silently teaches a pose model to confuse
sides. COCO categories name their keypoints; every name with "left" has its partner with
"right" (and back, in any letter case), and a copy mirrored an odd number of times swaps
each pair's places in the box's keypoint list, as pose training code does when it flips.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

SIDE = re.compile(r"left|right")  # matched in lower-cased names
SWAP = {"left": "right", "right": "left"}

FlipOrders = Mapping[str, tuple[int, ...]]  # category name -> each keypoint's mirror partner


def flip_orders(categories: Sequence[Mapping[str, Any]]) -> dict[str, tuple[int, ...]]:
    """Per category with named keypoints holding a left/right pair, the index of each
    keypoint's partner (itself where it has none: a nose stays a nose)."""
    orders = {}
    for category in categories:
        names = category.get("keypoints")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            continue
        index = {name.lower(): k for k, name in enumerate(names)}
        partners = [index.get(_other_side(name.lower()), k) for k, name in enumerate(names)]
        if partners != list(range(len(names))):
            orders[str(category["name"])] = tuple(partners)
    return orders


def _other_side(name: str) -> str:
    return SIDE.sub(lambda match: SWAP[match.group()], name)


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
