"""focus.yaml: where the errors are, as weights a generation run can act on.

Sections `classes`, `confusions` (case-only ones apart in `case_confusions`) and `slices`
each list at most `top` items with positive weight, weights summing to 1 in a section:
a class or slice weighs its excess errors, a confusion its count.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from augment.analysis.confusion import ClassAccuracy, ConfusionPair
from augment.analysis.slices import Slice
from augment.core.errors import InputError

VERSION = 1
SECTIONS = ("classes", "confusions", "case_confusions", "slices")


def _weighted(items: list[dict[str, Any]], key: str, top: int) -> list[dict[str, Any]]:
    kept = [item for item in items if item[key] > 0][:top]
    total = sum(item[key] for item in kept)
    return [item | {"weight": round(item[key] / total, 6)} for item in kept]


def focus_summary(
    classes: Sequence[ClassAccuracy],
    pairs: Sequence[ConfusionPair],
    slices: Sequence[Slice],
    top: int = 20,
) -> dict[str, Any]:
    """The focus document for one report (a plain dict, ready for YAML)."""
    count = sum(c.count for c in classes)
    errors = sum(c.errors for c in classes)
    rate = errors / count
    class_items: list[dict[str, Any]] = sorted(
        (
            {"label": c.label, "count": c.count, "errors": c.errors,
             "error_rate": round(1 - c.accuracy, 6), "excess": round(c.errors - rate * c.count, 3)}
            for c in classes
        ),
        key=lambda item: (-item["excess"], item["label"]),
    )  # fmt: skip
    pair_items = [
        ({"label": p.label, "prediction": p.prediction, "count": p.count}, p.case_only)
        for p in pairs
    ]
    slice_items = [_slice_item(s) for s in slices]
    return {
        "version": VERSION,
        "overall": {
            "predictions": count,
            "errors": errors,
            "error_rate": round(rate, 6),
            "case_only_errors": sum(c.case_only_errors for c in classes),
        },
        "classes": _weighted(class_items, "excess", top),
        "confusions": _weighted([p for p, case in pair_items if not case], "count", top),
        "case_confusions": _weighted([p for p, case in pair_items if case], "count", top),
        "slices": _weighted(slice_items, "excess", top),
    }


def _slice_item(s: Slice) -> dict[str, Any]:
    item: dict[str, Any] = {"attribute": s.attribute, "value": s.value}
    if s.low is not None:
        item |= {"low": s.low, "high": s.high}
    return item | {
        "count": s.count,
        "errors": s.errors,
        "error_rate": round(s.error_rate, 6),
        "excess": round(s.excess, 3),
    }


def write_focus(path: Path, summary: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(summary, sort_keys=False, allow_unicode=True), "utf-8")


def read_focus(path: Path) -> dict[str, Any]:
    """A focus.yaml as a dict with every section present (empty when absent)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(str(path), f"cannot read focus file: {err}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise InputError(str(path), f"not a focus file (expected version: {VERSION})")
    for section in SECTIONS:
        items = document.setdefault(section, [])
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("weight"), (int, float)) for i in items
        ):
            raise InputError(str(path), f"{section}: expected a list of items with a weight")
    return document
