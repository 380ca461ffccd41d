"""Inputs from a Hugging Face dataset: a folder written by `Dataset.save_to_disk`, or a Hub
dataset name (`NAME[:split]`, loaded with `datasets.load_dataset`).

Each row becomes one input: its first image (or audio) column is the media, a `label`
column the label (a ClassLabel by its name), other plain columns carry over. The media's
encoded bytes are read in the worker that makes the copy (`stored_media`), so a large
dataset is neither decoded up front nor copied to disk. `datasets` is imported only here,
only when such an input is given.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from augment.core.errors import InputError
from augment.dataset.labelled_file import LabelledFile

SAVED_MARKERS = ("dataset_info.json", "state.json")  # what save_to_disk writes for a Dataset
SPLITS_MARKER = "dataset_dict.json"  # ... and for a DatasetDict (one folder per split)
Where = tuple[tuple[str, str], ...]  # a dataset's reference, hashable for the cache


def is_saved_dataset(folder: Path) -> bool:
    """Whether `folder` is what `save_to_disk` writes (rather than a folder of files)."""
    if (folder / SPLITS_MARKER).is_file():
        return True
    return all((folder / marker).is_file() for marker in SAVED_MARKERS)


def read_saved_dataset(folder: Path, kind: str) -> list[LabelledFile]:
    """One input per row of a `load_from_disk` folder; a DatasetDict must name its split."""
    if (folder / SPLITS_MARKER).is_file():
        names = _split_names(folder / SPLITS_MARKER)
        raise InputError(
            str(folder),
            f"holds the splits {', '.join(names)}: pass one split's folder, "
            f"e.g. {folder / names[0]}",
        )
    where = (("disk", str(folder.resolve())),)
    return dataset_inputs(where, kind, str(folder), folder.name)


def read_hub_dataset(spec: str, kind: str) -> list[LabelledFile]:
    """One input per row of a Hub dataset, `NAME[:split]` (split "train" if not given)."""
    name, _, split = spec.partition(":")
    where = (("hub", name), ("split", split or "train"))
    return dataset_inputs(where, kind, spec, f"{name}:{split or 'train'}")


def dataset_inputs(where: Where, kind: str, shown: str, name: str) -> list[LabelledFile]:
    """The rows as inputs: `shown[i]` in messages, `name[i]` in the manifest."""
    datasets = _library(shown)
    table = _opened(where)
    column = _media_column(table, kind, shown)
    features = table.features
    names = {c: f.names for c, f in features.items() if isinstance(f, datasets.ClassLabel)}
    kept = [c for c, f in features.items() if c != column and _is_plain(datasets, f)]
    rows = table.select_columns(kept).to_list() if kept else [{} for _ in range(len(table))]
    files = []
    for i, row in enumerate(rows):
        columns = {c: _named(v, names.get(c)) for c, v in row.items()}
        label = columns.pop("label", None)
        stored = dict(where) | {"row": i, "column": column}
        files.append(
            LabelledFile(
                Path(f"{shown}[{i}]"),
                None if label is None else str(label),
                columns,
                name=f"{name}[{i}]",
                stored=stored,
            )
        )
    return files


def stored_media(task: dict[str, Any]) -> bytes | None:
    """The encoded image or audio of a dataset row's task; None for a task that is a file."""
    stored = task.get("stored")
    if stored is None:
        return None
    where = tuple((k, stored[k]) for k in ("disk", "hub", "split") if k in stored)
    value = _media_table(where, stored["column"])[stored["row"]][stored["column"]]
    data = (value or {}).get("bytes")
    if data is None and value and value.get("path") and Path(value["path"]).is_file():
        data = Path(value["path"]).read_bytes()
    if data is None:
        raise InputError(task["source"], f"no {stored['column']} data in this row")
    return bytes(data)


def _named(value: Any, names: list[str] | None) -> Any:
    """A ClassLabel integer as its name (-1, the missing label, as None)."""
    if names is None or value is None:
        return value
    return names[value] if 0 <= value < len(names) else None


def _is_plain(datasets: Any, feature: Any) -> bool:
    """Columns that carry over: text, numbers, booleans and class labels."""
    return isinstance(feature, datasets.Value | datasets.ClassLabel)


def _media_column(table: Any, kind: str, shown: str) -> str:
    """The first image (or audio) column: what the copies are made of."""
    feature = _media_feature(kind, shown)
    for column, declared in table.features.items():
        if isinstance(declared, feature):
            return str(column)
    columns = ", ".join(table.features) or "none"
    raise InputError(shown, f"has no {kind} column (its columns: {columns})")


def _media_feature(kind: str, shown: str) -> Any:
    datasets = _library(shown)
    return datasets.Audio if kind == "audio" else datasets.Image


@lru_cache(maxsize=4)
def _media_table(where: Where, column: str) -> Any:
    """The media column alone, undecoded: the bytes as stored (once per worker process)."""
    table = _opened(where).select_columns([column])
    feature = type(table.features[column])
    return table.cast_column(column, feature(decode=False))


@lru_cache(maxsize=4)
def _opened(where: Where) -> Any:
    """The dataset `where` names, opened once per process (memory-mapped Arrow files)."""
    found = dict(where)
    shown = found.get("disk") or found["hub"]
    datasets = _library(shown)
    try:
        if "disk" in found:
            return datasets.load_from_disk(found["disk"])
        return datasets.load_dataset(found["hub"], split=found["split"])
    except Exception as err:  # the library's many kinds: a damaged folder, a network error
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(shown, f"cannot load as a Hugging Face dataset ({reason})") from None


def _split_names(marker: Path) -> list[str]:
    try:
        names = json.loads(marker.read_text(encoding="utf-8")).get("splits") or []
    except (ValueError, OSError, AttributeError):
        names = []
    return [str(n) for n in names] or ["<split>"]


def _library(shown: str) -> Any:
    try:
        import datasets
    except ImportError:
        raise InputError(
            shown,
            "reading a Hugging Face dataset needs the datasets library "
            "(pip install 'augsynth[hf]')",
        ) from None
    return datasets
