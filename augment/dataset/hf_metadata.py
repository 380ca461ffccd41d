"""metadata.parquet: a dataset folder's Hugging Face imagefolder/audiofolder metadata, typed
so `load_dataset("imagefolder", data_dir=OUT)` gives `label` as an integer ClassLabel with
the label names.

Why Parquet and not JSON Lines: `datasets` takes a metadata file's features from its Arrow
schema, and Parquet keeps the `huggingface` schema metadata `datasets` itself writes (here,
`label` as a ClassLabel); a metadata.jsonl can only give `label` as a string, and with any
metadata file the loader stops inferring labels from folder names. Class names are sorted,
as the loader sorts folder names. Other columns keep their type when every row agrees
(text, integers, floats, booleans, lists of numbers or of text, lists of number lists such
as boxes); anything else (records, mixed types) is stored as JSON text and listed in the
`augsynth` schema metadata, so `read_metadata` gives the values back.
manifest.jsonl stays the full JSON record.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from augment.core.errors import InputError
from augment.dataset.pool import batched

Row = dict[str, Any]
LABEL = "label"


ROW_GROUP = 65_536  # rows per Parquet row group: a run's rows never all sit in memory


@dataclass
class MetadataSchema:
    """What the first pass over the rows finds: the columns in order, each one's kinds of
    value, and the label names (sorted, as the loader sorts folder names)."""

    kinds: dict[str, set[str]] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)

    def add(self, row: Row) -> None:
        for column, value in row.items():
            kinds = self.kinds.setdefault(column, set())
            if value is not None:
                kinds.add(PLAIN_KINDS.get(type(value)) or _kind(value))
        if row.get(LABEL) is not None:
            self.labels.add(row[LABEL])

    def arrow(self) -> tuple[pa.Schema, list[str]]:
        """The Arrow schema (with the `huggingface` features) and the JSON-text columns."""
        names = sorted(self.labels)
        fields, as_json = [], []
        for column, kinds in self.kinds.items():
            kind = pa.int64() if column == LABEL else _arrow_type(kinds)
            if kind is None:
                as_json.append(column)
                kind = pa.string()
            fields.append(pa.field(column, kind))
        features = {LABEL: {"names": names, "_type": "ClassLabel"}} if LABEL in self.kinds else {}
        metadata = {
            "huggingface": json.dumps({"info": {"features": features}}),
            "augsynth": json.dumps({"json_columns": as_json}),
        }
        return pa.schema(fields).with_metadata(metadata), as_json


def write_metadata_file(sink: str | Path | io.BytesIO, rows: Callable[[], Iterable[Row]]) -> None:
    """Write the Parquet file of the rows `rows()` gives (called twice: once for the
    schema, once to write them a row group at a time)."""
    found = MetadataSchema()
    for row in rows():
        found.add(row)
    schema, as_json = found.arrow()
    names = {name: k for k, name in enumerate(sorted(found.labels))}
    with pq.ParquetWriter(sink, schema) as writer:
        for block in batched(rows(), ROW_GROUP):
            writer.write_table(_table(block, schema, as_json, names))


def metadata_bytes(rows: list[Row]) -> bytes:
    """The Parquet file of `rows` (metadata rows in index order), in memory."""
    buffer = io.BytesIO()
    write_metadata_file(buffer, lambda: rows)
    return buffer.getvalue()


def _table(block: list[Row], schema: pa.Schema, as_json: list[str], names: dict) -> pa.Table:
    """One row group: label names as their ClassLabel integers, JSON-text columns as text."""
    arrays = []
    for column in schema.names:
        values = [row.get(column) for row in block]
        if column == LABEL:
            values = [None if v is None else names[v] for v in values]
        elif column in as_json:
            values = [None if v is None else orjson.dumps(v).decode() for v in values]
        arrays.append(pa.array(values, type=schema.field(column).type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _arrow_type(kinds: set[str]) -> pa.DataType | None:
    """The one Arrow type values of these kinds fit; None if they need JSON text."""
    if not kinds:
        return pa.string()
    return SIMPLE_TYPES.get(_joined(frozenset(kinds)))


def _joined(kinds: frozenset[str]) -> frozenset[str]:
    """Kinds that one Arrow type holds together: an empty list goes with any list kind (a
    row without boxes), integers with floats, integer lists with number lists."""
    if "empty" in kinds and len(kinds) > 1 and kinds - {"empty"} <= LIST_KINDS:
        kinds = kinds - {"empty"}
    if kinds == {"ints", "numbers"}:
        return frozenset({"numbers"})
    if kinds == {"int_lists", "number_lists"}:
        return frozenset({"number_lists"})
    return kinds


SIMPLE_TYPES = {
    frozenset({"int"}): pa.int64(),
    frozenset({"bool"}): pa.bool_(),
    frozenset({"int", "float"}): pa.float64(),
    frozenset({"float"}): pa.float64(),
    frozenset({"str"}): pa.string(),
    frozenset({"ints"}): pa.list_(pa.int64()),
    frozenset({"numbers"}): pa.list_(pa.float64()),
    frozenset({"texts"}): pa.list_(pa.string()),
    frozenset({"int_lists"}): pa.list_(pa.list_(pa.int64())),
    frozenset({"number_lists"}): pa.list_(pa.list_(pa.float64())),
    frozenset({"empty"}): pa.list_(pa.float64()),
}
LIST_KINDS = {"ints", "numbers", "texts", "int_lists", "number_lists"}


PLAIN_KINDS = {str: "str", float: "float", bool: "bool"}  # a value's kind by its type alone


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -(2**63) <= value < 2**63 else "big int"
    if isinstance(value, float | str):
        return "float" if isinstance(value, float) else "str"
    if not isinstance(value, list):
        return "other"
    if not value:
        return "empty"
    if all(isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**63 for v in value):
        return "ints"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return "numbers"
    if all(isinstance(v, str) for v in value):
        return "texts"
    inner = {_kind(v) for v in value}
    if inner == {"ints"}:
        return "int_lists"
    if inner <= {"ints", "numbers"}:
        return "number_lists"
    return "other"


def read_metadata(path: Path) -> list[Row]:
    """The rows of a metadata.parquet (ours, or any imagefolder's): a ClassLabel `label`
    as its name, our JSON-text columns as their values."""
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(str(path), f"cannot read as Parquet ({reason})") from None
    metadata = table.schema.metadata or {}
    names = _label_names(metadata.get(b"huggingface"))
    as_json = json.loads(metadata.get(b"augsynth", b"{}")).get("json_columns", [])
    rows = table.to_pylist()
    for row in rows:
        for column in as_json:
            if row.get(column) is not None:
                row[column] = orjson.loads(row[column])
        label = row.get(LABEL)
        if names is not None and isinstance(label, int):
            row[LABEL] = names[label] if 0 <= label < len(names) else None
    return rows


def _label_names(huggingface: bytes | None) -> list[str] | None:
    """The ClassLabel names `datasets` recorded for `label`, if it did."""
    try:
        features = json.loads(huggingface or b"{}")["info"]["features"]
        label = features[LABEL]
    except (ValueError, KeyError, TypeError):
        return None
    return label.get("names") if isinstance(label, dict) else None
