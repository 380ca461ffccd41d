"""metadata.parquet from a file of JSON lines whose schema a run found as it went
(`write_metadata_lines`, Arrow's reader) has the bytes of the Python way
(`metadata_bytes`); an integer that float64 would round is never written rounded."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

import augment.dataset.hf_metadata as hf_metadata
from augment.dataset.hf_metadata import (
    MetadataSchema,
    metadata_bytes,
    read_metadata,
    write_metadata_lines,
)

Row = dict[str, object]


def _random_row(rng: random.Random, index: int) -> Row:
    """Every kind of column the reader types itself, with nulls, late and missing columns."""
    row: Row = {"file_name": f"{index % 3}/{index:07d}.png"}
    row["label"] = rng.choice(["a", "b", "é", "a/b", None])
    row["score"] = rng.choice([1, 2.5, -3, 1e300, 5e-324, 0.1 + 0.2, -0.0, None])
    row["count"] = rng.choice([0, -(2**62), 7, None])
    row["boxes"] = rng.choice([[[1, 2], [3.5, 4]], [], None, [[1e-7, 2]]])
    row["ids"] = rng.choice([[1, 2, 3], [], None, [2**62]])
    row["bbox"] = rng.choice([[1.0, 5.0, 30.0, 27.0], [0, 1, 2, 3]])
    row["text"] = rng.choice(['é"\\\n\t', "", None, "\u2028x", "日本"])
    row["flag"] = rng.choice([True, False, None])
    row["tags"] = rng.choice([["a", "b"], [], None])
    row["never"] = None  # no value in any row: a text column of nulls
    row["no_items"] = []  # only empty lists
    if rng.random() < 0.3:
        row["late"] = rng.random()
    return row


def _lines_and_schema(tmp_path: Path, rows: list[Row]) -> tuple[Path, MetadataSchema]:
    """The rows as a run's side file would hold them, and the schema found in two halves
    (as two workers' jobs would find it) merged."""
    lines = tmp_path / "rows.jsonl"
    lines.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    found, later = MetadataSchema(), MetadataSchema()
    for k, row in enumerate(rows):
        (found if k < len(rows) // 2 else later).add(row)
    found.merge(later)
    return lines, found


def _from_lines(tmp_path: Path, rows: list[Row]) -> bytes:
    lines, found = _lines_and_schema(tmp_path, rows)
    recorded = MetadataSchema.from_record(orjson.loads(orjson.dumps(found.record())))
    out = tmp_path / "metadata.parquet"
    write_metadata_lines(out, lines, recorded)
    return out.read_bytes()


def test_the_same_bytes_as_the_python_way_across_blocks_and_row_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small JSON blocks and row groups, so the rows of one group come from several blocks
    and one block's rows go to several groups."""
    monkeypatch.setattr(hf_metadata, "ROW_GROUP", 37)
    monkeypatch.setattr(hf_metadata, "JSON_BLOCK", 512)
    rng = random.Random(0)
    rows = [_random_row(rng, k) for k in range(500)]
    written = _from_lines(tmp_path, rows)
    assert written == metadata_bytes(rows)
    assert pq.ParquetFile(tmp_path / "metadata.parquet").metadata.num_row_groups == 14
    assert read_metadata(tmp_path / "metadata.parquet") == [
        {column: row.get(column) for column in rows[0] | {"late": None}} for row in rows
    ]


def test_a_row_group_of_several_blocks_and_data_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group whose column outgrows a Parquet data page (1 MB), read in many blocks: the
    group is written as one chunk, as the Python way writes it (several chunks changed
    where the pages break)."""
    monkeypatch.setattr(hf_metadata, "JSON_BLOCK", 1 << 14)
    rng = random.Random(1)
    rows = [_random_row(rng, k) | {"long": f"{rng.getrandbits(6000):x}"} for k in range(1500)]
    assert _from_lines(tmp_path, rows) == metadata_bytes(rows)


def test_a_row_longer_than_a_block_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hf_metadata, "JSON_BLOCK", 64)
    rows: list[Row] = [
        {"file_name": f"a/{k}.png", "label": "a", "note": "x" * 300 * k} for k in range(4)
    ]
    assert _from_lines(tmp_path, rows) == metadata_bytes(rows)


@pytest.mark.parametrize(
    "values",
    [
        [{"a": 1}, "text", None],  # records and mixed kinds: JSON text
        [1, "one", [1, "x"]],
    ],
)
def test_columns_kept_as_json_text_go_the_python_way(tmp_path: Path, values: list) -> None:
    rows: list[Row] = [
        {"file_name": f"a/{k}.png", "label": "a", "odd": v} for k, v in enumerate(values)
    ]
    assert _from_lines(tmp_path, rows) == metadata_bytes(rows)


def test_no_rows_at_all(tmp_path: Path) -> None:
    """Every example failed: the file holds the schema alone."""
    assert _from_lines(tmp_path, []) == metadata_bytes([])


def test_unlabelled_rows_and_no_label_column(tmp_path: Path) -> None:
    unlabelled: list[Row] = [{"file_name": "unlabelled/0.png", "label": None, "n": 1}] * 3
    assert _from_lines(tmp_path, unlabelled) == metadata_bytes(unlabelled)
    no_label: list[Row] = [{"file_name": f"{k}.png", "n": k} for k in range(3)]
    assert _from_lines(tmp_path, no_label) == metadata_bytes(no_label)


@pytest.mark.parametrize("way", ["python", "lines"])
def test_an_integer_float64_would_round_is_kept_exact(tmp_path: Path, way: str) -> None:
    """2**53 + 1 among floats (or in a list among floats) is not written as 2**53: the
    column is JSON text, and reads back exact. (The Python way used to stop the finish
    with pyarrow's error; Arrow's reader would have rounded it without a word.)"""
    wide = 2**53 + 1
    rows: list[Row] = [
        {"file_name": "a/0.png", "label": "a", "score": 0.5, "box": [0.5, 1.0], "id": wide},
        {"file_name": "a/1.png", "label": "a", "score": wide, "box": [wide, 1], "id": 3},
    ]
    if way == "python":
        (tmp_path / "metadata.parquet").write_bytes(metadata_bytes(rows))
    else:
        _from_lines(tmp_path, rows)
    schema = pq.read_schema(tmp_path / "metadata.parquet")
    assert str(schema.field("score").type) == "string" and str(schema.field("box").type) == "string"
    assert str(schema.field("id").type) == "int64", "integers alone stay integers"
    assert read_metadata(tmp_path / "metadata.parquet") == rows


def test_merged_schemas_keep_the_columns_in_the_order_rows_first_show_them() -> None:
    rows: list[Row] = [{"a": 1}, {"a": 2, "c": "x"}, {"b": 1.5, "a": 3}, {"d": [1]}]
    whole = MetadataSchema()
    for row in rows:
        whole.add(row)
    parts = [MetadataSchema() for _ in rows]
    merged = MetadataSchema()
    for part, row in zip(parts, rows, strict=True):
        part.add(row)
        merged.merge(part)
    assert list(merged.kinds) == ["a", "c", "b", "d"] and merged == whole
    assert MetadataSchema.from_record(merged.record()) == whole
