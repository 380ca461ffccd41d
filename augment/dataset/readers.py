"""Find labelled input files in the layouts people already have.

IN may be one image or audio file; a CSV or TXT list of paths (`csv_inputs`); a folder
written by Hugging Face `save_to_disk` (`hf_inputs`); or a folder, where a metadata table
(Hugging Face `metadata.parquet`, `metadata.jsonl` or `metadata.csv`, or a `labels.csv`;
our outputs hold a metadata.parquet, so they are inputs again), each row naming
`file_name` and optional columns, is checked first; otherwise class folders (the folder
name is the label) with unlabelled files at the top. `list_inputs` turns what is found
into the tasks of a run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from augment.core.errors import InputError
from augment.core.text_files import csv_rows, read_text
from augment.dataset.csv_inputs import LIST_SUFFIXES, read_path_list
from augment.dataset.hf_inputs import is_saved_dataset, read_saved_dataset
from augment.dataset.hf_metadata import read_metadata
from augment.dataset.labelled_file import LabelledFile

__all__ = ["LabelledFile", "find_inputs", "list_inputs", "raise_problem", "read_labelled_files"]

TABLE_NAMES = ("metadata.parquet", "metadata.jsonl", "metadata.csv", "labels.csv")


def raise_problem(task: dict[str, Any]) -> None:
    """The InputError of an input the readers found unusable (a bad table row, a name that
    is not UTF-8, a broken link): makers call this first, so the run reports it and goes on."""
    if task.get("problem"):
        raise InputError(task["source"], task["problem"])


def list_inputs(
    in_path: str | Path,
    extensions: frozenset[str],
    *,
    kind: str = "image",
    transcripts: bool = False,
    skip: str | Path | None = None,
) -> list[dict[str, Any]]:
    """One task entry per input: where to read it (`source`), how the manifest names it
    (`source_file`, relative to IN), its label and metadata columns.

    With `transcripts`, a file's same-stem .txt fills a missing `transcription` column,
    as speech corpora ship their transcripts. Files under `skip` (a run's OUT inside IN:
    its own outputs) are not inputs. `kind` (image or audio) picks a dataset's column.
    """
    skipped = Path(os.path.abspath(skip)) if skip is not None else None
    return [
        input_entry(found, transcripts)
        for found in find_inputs(in_path, extensions, kind)
        if skipped is None or not Path(os.path.abspath(found.path)).is_relative_to(skipped)
    ]


def input_entry(found: LabelledFile, transcripts: bool = False) -> dict[str, Any]:
    """The task entry of one input found (see `list_inputs`)."""
    columns, problem = dict(found.columns), found.problem
    transcript = found.path.with_suffix(".txt")
    wanted = transcripts and found.stored is None and "transcription" not in columns
    if wanted and not problem and transcript.is_file():
        try:
            columns["transcription"] = read_text(transcript).strip()
        except InputError as err:
            problem = f"transcript {err}"
    entry = {
        "source": _shown(found.path),
        "source_file": _shown(Path(found.name)) if found.name else _shown(found.path),
        "label": found.label,
        "columns": columns,
    }
    if found.stored is not None:
        entry["stored"] = found.stored
    return entry | {"problem": problem} if problem else entry


def find_inputs(in_path: str | Path, extensions: frozenset[str], kind: str) -> list[LabelledFile]:
    """What IN holds, whichever of the forms in the module docstring it takes."""
    root = Path(in_path)
    if not root.exists() and root.suffix.lower() in extensions | LIST_SUFFIXES:
        raise InputError(str(root), "no such file")
    if root.is_file():
        if root.suffix.lower() in extensions:
            return [LabelledFile(root, None, {}, name=root.name)]
        if root.suffix.lower() in LIST_SUFFIXES:
            return read_path_list(root, extensions)
        listed = ", ".join(sorted(extensions | LIST_SUFFIXES))
        raise InputError(str(root), f"not an input this command reads ({listed} or a folder)")
    if root.is_dir() and is_saved_dataset(root):
        return read_saved_dataset(root, kind)
    return read_labelled_files(root, extensions)


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
                "of files (class folders, metadata.parquet/jsonl/csv or labels.csv)",
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
        label = None if label in (None, "") else str(label)
        name = Path(os.path.normpath(row["file_name"])).as_posix()  # as the table names it
        files.append(LabelledFile(path, label, columns, name=name))
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
    if table.suffix == ".parquet":
        return [(f"row {number}", row) for number, row in enumerate(read_metadata(table), 1)]
    if table.suffix == ".jsonl":
        return [
            (f"line {number}", _json_row(line))
            for number, line in enumerate(read_text(table).split("\n"), start=1)
            if line.strip()
        ]
    reader = csv_rows(table)
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
        problem = _file_problem(path, label, broken)
        files.append(LabelledFile(path, label, {}, problem, name=relative.as_posix()))
    return files


def _file_problem(path: Path, label: str | None, broken: bool) -> str | None:
    if broken:
        return "a broken or looping symbolic link"
    if not _is_text(str(path)):
        return "its name or folder name is not UTF-8 (rename it)"
    return None
