"""Read a predictions file (CSV or JSONL): file_name, label, prediction, optional score, tags."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from augment.core.errors import InputError
from augment.core.text_files import csv_rows, read_text

RESERVED = ("file_name", "label", "prediction", "score")


@dataclass(frozen=True)
class Prediction:
    """One model output on one dataset file; `label` is None when the file leaves it out."""

    file_name: str
    label: str | None
    prediction: str
    score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_table(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (header row) or JSONL file as dicts; InputError names the file and line."""
    if path.suffix.lower() in (".jsonl", ".json"):
        rows = []
        for number, line in enumerate(read_text(path).split("\n"), start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as err:
                raise InputError(str(path), f"line {number}: not JSON ({err})") from None
            if not isinstance(row, dict):
                raise InputError(str(path), f"line {number}: expected a JSON object")
            rows.append(row)
        return rows
    return list(csv_rows(path, csv.DictReader))


def read_predictions(path: Path) -> list[Prediction]:
    """Every prediction in `path`; a missing column or a bad score stops with the row named."""
    rows = read_table(path)
    if not rows:
        raise InputError(str(path), "no predictions")
    out = []
    for number, row in enumerate(rows, start=1):
        for column in ("file_name", "prediction"):
            if row.get(column) in (None, ""):
                raise InputError(str(path), f"row {number}: missing {column}")
        out.append(
            Prediction(
                file_name=str(row["file_name"]),
                label=None if row.get("label") in (None, "") else str(row["label"]),
                prediction=str(row["prediction"]),
                score=_score(path, number, row.get("score")),
                extra={k: v for k, v in row.items() if k not in RESERVED},
            )
        )
    return out


def _score(path: Path, number: int, value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(str(path), f"row {number}: score {value!r} is not a number") from None
