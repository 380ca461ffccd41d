"""Inputs named by a list: a CSV with a `path` (or `file_name`) column and an optional
`label`, or a TXT with one path per line, the files anywhere on disk.

A list is a deliberate choice of files, so a wrong entry (a missing file, a file the
command cannot read) stops the command before anything is written, naming the list and
the row, rather than dropping an example silently. Relative paths are taken from the
list's folder, as a spreadsheet beside the data writes them.
"""

from __future__ import annotations

from pathlib import Path

from augment.core.errors import InputError
from augment.core.text_files import csv_rows, read_text
from augment.dataset.labelled_file import LabelledFile

LIST_SUFFIXES = frozenset({".csv", ".txt"})
PATH_COLUMNS = ("path", "file_name")  # the first present names the files


def read_path_list(listing: Path, extensions: frozenset[str]) -> list[LabelledFile]:
    """One input per row of `listing`, in the list's order; refused whole if a row is bad."""
    rows = _txt_rows(listing) if listing.suffix.lower() == ".txt" else _csv_rows(listing)
    files = [_listed_file(listing, row, extensions) for row in rows]
    if not files:
        raise InputError(str(listing), "lists no files")
    return files


Row = tuple[str, str, dict[str, str]]  # where in the list, the path as written, other columns


def _listed_file(listing: Path, row: Row, extensions: frozenset[str]) -> LabelledFile:
    """The file a row names, checked now: it exists and is of a kind the command reads."""
    where, written, others = row
    path = listing.parent / written
    if not written or not path.is_file():
        raise InputError(str(listing), f"{where}: {written!r}: no such file")
    if path.suffix.lower() not in extensions:
        listed = ", ".join(sorted(extensions))
        raise InputError(str(listing), f"{where}: {written!r} is not one of {listed}")
    columns = {k: v for k, v in others.items() if k != "label"}
    return LabelledFile(path, others.get("label") or None, columns, name=written)


def _txt_rows(listing: Path) -> list[Row]:
    lines = read_text(listing).split("\n")
    return [
        (f"line {number}", line.strip(), {})
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]


def _csv_rows(listing: Path) -> list[Row]:
    reader = csv_rows(listing)
    header = next(reader, None) or []
    column = next((c for c in PATH_COLUMNS if c in header), None)
    if column is None:
        raise InputError(str(listing), "needs a header row with a path (or file_name) column")
    rows = []
    for number, fields in enumerate(reader, start=1):
        if not fields:
            continue
        if len(fields) > len(header):
            problem = f"row {number}: {len(fields)} fields, the header has {len(header)}"
            raise InputError(str(listing), problem)
        row = dict(zip(header, fields, strict=False))
        written = row.pop(column, "").strip()
        rows.append((f"row {number}", written, row))
    return rows
