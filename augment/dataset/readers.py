"""Find labelled input files in the layouts people already have.

Checked in order: a metadata table in IN_DIR (Hugging Face `metadata.jsonl` or
`metadata.csv`, or a `labels.csv`), each row naming `file_name` and optional columns;
otherwise class folders (the folder name is the label) with unlabelled files at the top.
`list_inputs` turns what is found into the tasks of a run.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from augment.core.errors import InputError
from augment.core.text_files import read_text

TABLE_NAMES = ("metadata.jsonl", "metadata.csv", "labels.csv")


@dataclass(frozen=True)
class LabelledFile:
    """An input file, its label (None if unlabelled) and any other metadata columns."""

    path: Path
    label: str | None
    columns: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why this input cannot be used (reported per example)


def raise_problem(task: dict[str, Any]) -> None:
    """The InputError of an input the readers found unusable (a bad table row, a name that
    is not UTF-8, a broken link): makers call this first, so the run reports it and goes on."""
    if task.get("problem"):
        raise InputError(task["source"], task["problem"])


def list_inputs(
    in_dir: str | Path,
    extensions: frozenset[str],
    *,
    transcripts: bool = False,
    skip: str | Path | None = None,
) -> list[dict[str, Any]]:
    """One task entry per input file: its path (`source`), label and metadata columns.

    With `transcripts`, a file's same-stem .txt fills a missing `transcription` column,
    as speech corpora ship their transcripts. Files under `skip` (a run's OUT inside IN:
    its own outputs) are not inputs.
    """
    entries = []
    skipped = Path(os.path.abspath(skip)) if skip is not None else None
    for found in read_labelled_files(in_dir, extensions):
        if skipped is not None and Path(os.path.abspath(found.path)).is_relative_to(skipped):
            continue
        columns, problem = dict(found.columns), found.problem
        transcript = found.path.with_suffix(".txt")
        if transcripts and not problem and "transcription" not in columns and transcript.is_file():
            try:
                columns["transcription"] = read_text(transcript).strip()
            except InputError as err:
                problem = f"transcript {err}"
        entry = {"source": _shown(found.path), "label": found.label, "columns": columns}
        entries.append(entry | {"problem": problem} if problem else entry)
    return entries


def _shown(path: Path) -> str:
    """The path as text that can be written anywhere (a name that is not UTF-8 keeps its
    bytes visible as escapes instead of making a manifest row unwritable)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return text


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
    """One file per row; a row that cannot name a usable file is kept with its problem, so
    the run reports it and goes on (a table that cannot be read at all is refused)."""
    files = []
    for where, row in _table_rows(table):
        problem = row if isinstance(row, str) else _row_problem(root, row)
        if problem is not None:
            files.append(LabelledFile(table, None, {}, f"{where}: {problem}"))
            continue
        assert isinstance(row, dict)  # a row that is a string is its own problem
        label = row.get(label_column)
        columns = {k: v for k, v in row.items() if k not in ("file_name", label_column)}
        path = (root / row["file_name"]).resolve()
        files.append(LabelledFile(path, None if label in (None, "") else str(label), columns))
    return files


def _row_problem(root: Path, row: dict[str, Any]) -> str | None:
    name = row.get("file_name")
    if not isinstance(name, str) or not name:
        return "missing file_name"
    if "\0" in name:
        return "file_name holds a NUL character"
    if not all(_is_text(v) for v in (*row, *row.values())):
        return "holds text that is not valid Unicode (a lone surrogate)"
    try:
        inside = (root / name).resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symbolic-link loop
        return f"file_name {name!r} is a looping symbolic link"
    return None if inside else f"file_name {name!r} points outside {root}"


def _is_text(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _table_rows(table: Path) -> list[tuple[str, dict[str, Any] | str]]:
    """(where, row or problem) for each data row. Lines end only at a real newline: a
    quoted newline stays in its CSV field and U+2028 inside a JSON string stays text."""
    text = read_text(table)
    if table.suffix == ".jsonl":
        return [
            (f"line {number}", _json_row(line))
            for number, line in enumerate(text.split("\n"), start=1)
            if line.strip()
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or "file_name" not in header:
        raise InputError(str(table), "needs a header row with a file_name column")
    rows: list[tuple[str, dict[str, Any] | str]] = []
    for number, fields in enumerate(reader, start=1):
        if not fields:
            continue
        if len(fields) > len(header):
            rows.append((f"row {number}", f"{len(fields)} fields, the header has {len(header)}"))
            continue
        rows.append((f"row {number}", dict(zip(header, fields, strict=False))))
    return rows


def _json_row(line: str) -> dict[str, Any] | str:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        return f"not JSON ({err.msg})"
    return row if isinstance(row, dict) else "expected a JSON object"


def _read_class_folders(root: Path, extensions: frozenset[str]) -> list[LabelledFile]:
    files = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in extensions:
            continue
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        broken = path.is_symlink() and not path.exists()
        if not (broken or path.is_file()):
            continue
        label = relative.parts[0] if len(relative.parts) > 1 else None
        files.append(LabelledFile(path, label, {}, _file_problem(path, label, broken)))
    return files


def _file_problem(path: Path, label: str | None, broken: bool) -> str | None:
    if broken:
        return "a broken or looping symbolic link"
    if not _is_text(str(path)):
        return "its name or folder name is not UTF-8 (rename it)"
    return None
