"""Which keypoint is which keypoint's mirror image, from a dataset's categories.

COCO categories name their keypoints: every name with "left" has its partner with "right"
(and back, in any letter case); a YOLO pose dataset gives the partners itself (data.yaml's
`flip_idx`, kept in each category). Mirrored copies trade each pair's places
(`augment.images.keypoint_flips`), and the YOLO layout writes the partners back.
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
    keypoint's partner (itself where it has none: a nose stays a nose); a category's own
    `flip_idx` (YOLO pose) is taken as it is."""
    orders = {}
    for category in categories:
        given = category.get("flip_idx")  # a YOLO pose dataset's own partners
        if isinstance(given, list) and sorted(given) == list(range(len(given))):
            if given != sorted(given):
                orders[str(category["name"])] = tuple(given)
            continue
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
