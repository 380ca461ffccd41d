"""A dataset folder's record of each file, keyed by file name, for joining predictions.

`manifest.jsonl` (written by every augsynth command) is preferred: it holds the params
each example was made with. Otherwise a Hugging Face `metadata.parquet`/`metadata.jsonl`/
`metadata.csv` or a `labels.csv` with `file_name` gives the label and whatever columns it has.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from augment.analysis.predictions import read_table
from augment.core.errors import InputError
from augment.dataset.hf_metadata import read_metadata

TABLES = ("manifest.jsonl", "metadata.parquet", "metadata.jsonl", "metadata.csv", "labels.csv")


# The writer starts every manifest row with index and file: a row's file name can be read
# without parsing the row (about 1 KB of params), which is most of the join's time.
ROW_START = re.compile(rb'^\{"index":\d+,"file":"([^"\\]*)"')


def normalise_name(name: str) -> str:
    """File names compare as POSIX paths without './' parts or doubled slashes."""
    parts = name.replace("\\", "/").split("/")
    return "/".join(p for p in parts if p not in ("", "."))


def read_dataset_table(
    data_dir: Path, wanted: set[str] | None = None
) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The table found in `data_dir` and its rows keyed by normalised file name; with
    `wanted` (normalised names), manifest rows of other files may be left out unparsed.

    Manifest rows of a sharded run are keyed by their member key ('0000012') and by
    'shards/000000.tar/0000012' as well, since a shard holds many examples.
    """
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "no such folder")
    for name in TABLES:
        path = data_dir / name
        if path.is_file():
            rows = _rows(path, wanted)
            return path, _keyed(path, rows)
    raise InputError(str(data_dir), f"no {', '.join(TABLES)} to join predictions with")


def _rows(path: Path, wanted: set[str] | None) -> list[dict[str, Any]]:
    """The rows of one of the TABLES."""
    if path.name == "manifest.jsonl":
        return _manifest_rows(path, wanted)
    if path.suffix == ".parquet":
        return read_metadata(path)
    return read_table(path)


def _manifest_rows(path: Path, wanted: set[str] | None) -> list[dict[str, Any]]:
    """Manifest rows (those of `wanted` files, and any whose name is not at the start of
    the line, or that are shard members); a torn last line (a killed run) is left out."""
    lines = path.read_bytes().split(b"\n")
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if wanted is not None and (start := ROW_START.match(line)) is not None:
            name = normalise_name(start.group(1).decode("utf-8", "replace"))
            if name not in wanted and not name.endswith(".tar"):
                continue
        try:
            rows.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            if number != len(lines):
                raise InputError(str(path), f"line {number}: not JSON") from None
    return rows


def _keyed(path: Path, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keyed = {}
    for number, row in enumerate(rows, start=1):
        name = row.get("file", row.get("file_name"))
        if not isinstance(name, str) or not name:
            raise InputError(str(path), f"row {number}: no file or file_name")
        if "key" in row:
            keyed[str(row["key"])] = row
            keyed[normalise_name(f"{name}/{row['key']}")] = row
        else:
            keyed[normalise_name(name)] = row
    return keyed
