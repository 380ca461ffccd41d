"""metadata.parquet: a dataset folder's Hugging Face imagefolder/audiofolder metadata, typed
so `load_dataset("imagefolder", data_dir=OUT)` gives `label` as an integer ClassLabel with
the label names.

Why Parquet and not JSON Lines: `datasets` takes a metadata file's features from its Arrow
schema, and Parquet keeps the `huggingface` schema metadata `datasets` itself writes (here,
`label` as a ClassLabel); a metadata.jsonl can only give `label` as a string, and with any
metadata file the loader stops inferring labels from folder names. Class names are sorted,
as the loader sorts folder names. Other columns keep their type when every row agrees
(text, integers, floats, booleans, lists of numbers or of text, lists of number lists such
as boxes); anything else (records, mixed types, and floats beside an integer beyond 2^53,
which float64 would round) is stored as JSON text and listed in the `augsynth` schema
metadata, so `read_metadata` gives the values back.
manifest.jsonl stays the full JSON record.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from augment.core.errors import InputError
from augment.dataset.pool import batched

Row = dict[str, Any]
LABEL = "label"


ROW_GROUP = 65_536  # rows per Parquet row group: a run's rows never all sit in memory
JSON_BLOCK = 1 << 20  # bytes of JSON lines Arrow's reader parses at a time, at least
EXACT_INT = 2**53  # integers up to this size are exact as float64
WIDE = "wide"  # a column's mark: it holds an integer that float64 would round


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
                kind = PLAIN_KINDS.get(type(value)) or _kind(value)
                kinds.add(kind)
                if kind in INT_KINDS and _has_wide_int(value):
                    kinds.add(WIDE)
        if row.get(LABEL) is not None:
            self.labels.add(row[LABEL])

    def merge(self, other: MetadataSchema) -> None:
        """Take in what `other` found in the rows after ours: its new columns come after."""
        for column, kinds in other.kinds.items():
            self.kinds.setdefault(column, set()).update(kinds)
        self.labels |= other.labels

    def record(self) -> dict[str, Any]:
        """As JSON values (columns in order), for `from_record`."""
        kinds = {column: sorted(kinds) for column, kinds in self.kinds.items()}
        return {"kinds": kinds, "labels": sorted(self.labels)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> MetadataSchema:
        kinds = {column: set(kinds) for column, kinds in record["kinds"].items()}
        return cls(kinds, set(record["labels"]))

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


def write_metadata_file(
    sink: str | Path | io.BytesIO,
    rows: Callable[[], Iterable[Row]],
    found: MetadataSchema | None = None,
) -> None:
    """Write the Parquet file of the rows `rows()` gives, a row group at a time: called
    twice (once to find their schema, once to write them) unless `found` is their schema."""
    if found is None:
        found = MetadataSchema()
        for row in rows():
            found.add(row)
    schema, as_json = found.arrow()
    names = {name: k for k, name in enumerate(sorted(found.labels))}
    with pq.ParquetWriter(sink, schema) as writer:
        for block in batched(rows(), ROW_GROUP):
            writer.write_table(_table(block, schema, as_json, names))


def write_metadata_lines(sink: str | Path, lines: Path, found: MetadataSchema) -> None:
    """`write_metadata_file` of a JSON Lines file of rows whose schema is known already (a
    run found it as it went): the same bytes, with the rows parsed and typed by Arrow's
    JSON reader, streamed a block at a time. In Python that was 3 to 6 us a row, in the
    main process alone while the other cores waited; this is about 1.2.

    Rows with columns kept as JSON text, or labels other than text, go the Python way.
    """
    schema, as_json = found.arrow()
    if as_json or not found.kinds.get(LABEL, set()) <= {"str"}:
        write_metadata_file(sink, lambda: _parsed_lines(lines), found)
        return
    read_as = pa.schema([pa.field(LABEL, pa.string()) if f.name == LABEL else f for f in schema])
    options = pa_json.ParseOptions(explicit_schema=read_as, unexpected_field_behavior="error")
    names = _text_array(sorted(found.labels))
    longest = _longest_line(lines)
    with pq.ParquetWriter(sink, schema) as writer:
        if not longest:  # no rows (Arrow's reader refuses an empty file): the schema alone
            return
        # a row must fit in one block: Arrow refuses one that straddles two
        blocks = pa_json.ReadOptions(block_size=max(JSON_BLOCK, 2 * longest))
        reader = pa_json.open_json(lines, read_options=blocks, parse_options=options)
        for group in _row_groups(reader, read_as):
            if LABEL in schema.names:  # label names as their ClassLabel integers
                label = pc.index_in(group[LABEL], value_set=names).cast(pa.int64())
                group = group.set_column(schema.get_field_index(LABEL), LABEL, label)
            writer.write_table(group.cast(schema))


def _text_array(values: list[str]) -> pa.Array:
    """An Arrow string array made from its buffers: `pa.array` imports pandas, if it is
    installed, to check its argument, which was most of a finish's time (0.25 s)."""
    data = [value.encode("utf-8") for value in values]
    offsets = np.cumsum([0] + [len(d) for d in data], dtype=np.int32)
    buffers = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


def _longest_line(path: Path) -> int:
    with open(path, "rb") as handle:
        return max(map(len, handle), default=0)


def _parsed_lines(path: Path) -> Iterator[Row]:
    with open(path, "rb") as handle:
        for line in handle:
            yield orjson.loads(line)


def _row_groups(batches: Iterable[pa.RecordBatch], schema: pa.Schema) -> Iterator[pa.Table]:
    """The rows of `batches` as tables of ROW_GROUP rows (the last one shorter), each one
    chunk: the Parquet bytes are then those of `write_metadata_file`'s row groups."""
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in batches:
        batch = pa.RecordBatch.from_arrays([batch.column(n) for n in schema.names], schema=schema)
        while batch.num_rows:
            take = min(batch.num_rows, ROW_GROUP - count)
            pending.append(batch.slice(0, take))
            count += take
            batch = batch.slice(take)
            if count == ROW_GROUP:
                yield pa.Table.from_batches(pending, schema).combine_chunks()
                pending, count = [], 0
    if pending:
        yield pa.Table.from_batches(pending, schema).combine_chunks()


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
    """The one Arrow type values of these kinds fit; None if they need JSON text (as do
    floats with an integer float64 would round: a wrong number, written without a word)."""
    if not kinds - {WIDE}:
        return pa.string()
    kind = SIMPLE_TYPES.get(_joined(frozenset(kinds - {WIDE})))
    if WIDE in kinds and kind is not None and _holds_floats(kind):
        return None
    return kind


def _holds_floats(kind: pa.DataType) -> bool:
    while pa.types.is_list(kind):
        kind = kind.value_type
    return pa.types.is_floating(kind)


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
INT_KINDS = {"int", "ints", "numbers", "int_lists", "number_lists"}  # kinds that hold integers


def _has_wide_int(value: Any) -> bool:
    """Whether an integer beyond EXACT_INT is in `value` (a number, or lists of them)."""
    if isinstance(value, list):
        return any(_has_wide_int(v) for v in value)
    return type(value) is int and abs(value) > EXACT_INT


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
