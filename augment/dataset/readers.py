"""Find labelled input files in the layouts people already have.

Checked in order: a metadata table in IN_DIR (Hugging Face `metadata.jsonl` or
`metadata.csv`, or a `labels.csv`), each row naming `file_name` and optional columns;
otherwise class folders (the folder name is the label) with unlabelled files at the top.
`list_inputs` turns what is found into the tasks of a run.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from augment.core.errors import InputError

TABLE_NAMES = ("metadata.jsonl", "metadata.csv", "labels.csv")


@dataclass(frozen=True)
class LabelledFile:
    """An input file, its label (None if unlabelled) and any other metadata columns."""

    path: Path
    label: str | None
    columns: dict[str, Any] = field(default_factory=dict)


def list_inputs(
    in_dir: str | Path, extensions: frozenset[str], *, transcripts: bool = False
) -> list[dict[str, Any]]:
    """One task entry per input file: its path (`source`), label and metadata columns.

    With `transcripts`, a file's same-stem .txt fills a missing `transcription` column,
    as speech corpora ship their transcripts.
    """
    entries = []
    for found in read_labelled_files(in_dir, extensions):
        columns = dict(found.columns)
        transcript = found.path.with_suffix(".txt")
        if transcripts and "transcription" not in columns and transcript.is_file():
            columns["transcription"] = transcript.read_text(encoding="utf-8").strip()
        entries.append({"source": str(found.path), "label": found.label, "columns": columns})
    return entries


def read_labelled_files(
    in_dir: str | Path, extensions: frozenset[str], label_column: str = "label"
) -> list[LabelledFile]:
    """Every input under `in_dir` with one of `extensions` (lower-case, with dot), sorted."""
    root = Path(in_dir)
    if not root.is_dir():
        raise InputError(str(root), "no such folder")
    for name in TABLE_NAMES:
        if (root / name).is_file():
            files = _read_table(root, root / name, label_column)
            break
    else:
        if any(root.glob("shards/*.tar")):
            raise InputError(
                str(root),
                "holds WebDataset shards (shards/*.tar), which are output only; pass a folder "
                "of files (class folders, metadata.jsonl/csv or labels.csv)",
            )
        files = _read_class_folders(root, extensions)
    if not files:
        listed = ", ".join(sorted(extensions))
        raise InputError(str(root), f"no input files found ({listed})")
    return files


def _read_table(root: Path, table: Path, label_column: str) -> list[LabelledFile]:
    rows = _table_rows(table)
    files = []
    for number, row in enumerate(rows, start=1):
        name = row.get("file_name")
        if not isinstance(name, str) or not name:
            raise InputError(str(table), f"row {number}: missing file_name")
        path = (root / name).resolve()
        if not path.is_relative_to(root.resolve()):
            raise InputError(str(table), f"row {number}: file_name {name!r} points outside {root}")
        label = row.get(label_column)
        columns = {k: v for k, v in row.items() if k not in ("file_name", label_column)}
        files.append(LabelledFile(path, None if label in (None, "") else str(label), columns))
    return files


def _table_rows(table: Path) -> list[dict[str, Any]]:
    try:
        text = table.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(table), f"cannot read: {err}") from None
    if table.suffix == ".jsonl":
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(str(table), f"line {number}: not JSON ({err.msg})") from None
            if not isinstance(row, dict):
                raise InputError(str(table), f"line {number}: expected a JSON object")
            rows.append(row)
        return rows
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or "file_name" not in reader.fieldnames:
        raise InputError(str(table), "needs a header row with a file_name column")
    return list(reader)


def _read_class_folders(root: Path, extensions: frozenset[str]) -> list[LabelledFile]:
    files = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in extensions:
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        relative = path.relative_to(root)
        label = relative.parts[0] if len(relative.parts) > 1 else None
        files.append(LabelledFile(path, label))
    return files
