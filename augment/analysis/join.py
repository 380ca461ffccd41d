"""Predictions joined with the dataset's rows: each one labelled and carrying attributes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from augment.analysis.dataset_table import normalise_name, read_dataset_table
from augment.analysis.flatten import flatten
from augment.analysis.predictions import Prediction
from augment.core.errors import InputError

# Row fields that identify an example rather than describe how it was made; a step's
# own `seed` param (any name ending in '.seed') is dropped too: random, so never a cause.
NOT_ATTRIBUTES = frozenset({"index", "file", "file_name", "key", "seed", "label"})


@dataclass(frozen=True)
class JoinedPrediction:
    """A prediction with its true label and every attribute the dataset records for it."""

    file_name: str
    label: str
    prediction: str
    score: float | None
    attributes: dict[str, Any]

    @property
    def wrong(self) -> bool:
        return self.label != self.prediction


@dataclass(frozen=True)
class Joined:
    """The joined predictions, the table they were joined with, and the files not found."""

    rows: list[JoinedPrediction]
    table: Path
    unmatched: list[str]


def join_predictions(predictions: list[Prediction], data_dir: Path) -> Joined:
    """Join on file name; a prediction whose file the dataset lacks is listed in `unmatched`
    and left out. The predictions file's label wins over the dataset's when both exist."""
    table, rows = read_dataset_table(data_dir, {normalise_name(p.file_name) for p in predictions})
    joined, unmatched = [], []
    for prediction in predictions:
        row = rows.get(normalise_name(prediction.file_name))
        if row is None:
            unmatched.append(prediction.file_name)
            continue
        label = prediction.label if prediction.label is not None else row.get("label")
        if label in (None, ""):
            raise InputError(prediction.file_name, "no label in the predictions or the dataset")
        attributes = {
            name: value
            for name, value in flatten(row).items()
            if name not in NOT_ATTRIBUTES and not name.endswith(".seed")
        }
        attributes.update(prediction.extra)
        joined.append(
            JoinedPrediction(
                prediction.file_name, str(label), prediction.prediction, prediction.score,
                attributes,
            )
        )  # fmt: skip
    if not joined:
        raise InputError(str(table), f"none of the {len(predictions)} predicted files are in it")
    return Joined(joined, table, unmatched)
