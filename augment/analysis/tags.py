"""Count hand-given tags on the sampled errors (the filled errors_to_tag.csv).

Tags come from the `tags` column (comma- or semicolon-separated) and from any column you
added: a cell marked x/1/yes/true counts as the column's name, other text as 'column=text'.
Each tag's share of the sampled errors, times all errors, estimates how many errors it
explains overall: the classic hand count on a hundred errors.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from augment.analysis.predictions import read_table
from augment.core.errors import InputError

NOT_TAGS = frozenset({"file_name", "label", "prediction", "score", "note", "tags"})
TICKS = frozenset({"x", "1", "yes", "y", "true"})


@dataclass(frozen=True)
class TagCount:
    tag: str
    count: int
    share: float  # of the tagged sample
    estimated_errors: float  # share times every error in the report


def row_tags(row: dict[str, object]) -> set[str]:
    """The tags one filled row carries."""
    found = {t.strip() for t in re.split(r"[,;]", str(row.get("tags") or "")) if t.strip()}
    for column, value in row.items():
        text = "" if value is None else str(value).strip()
        if column in NOT_TAGS or not text:
            continue
        found.add(column if text.lower() in TICKS else f"{column}={text}")
    return found


def count_tags(path: Path, total_errors: int) -> tuple[int, list[TagCount]]:
    """Rows in the filled file and the count of each tag, most frequent first."""
    rows = read_table(path)
    if not rows or "file_name" not in rows[0]:
        raise InputError(str(path), "needs a header row with file_name (errors_to_tag.csv)")
    counts = Counter(tag for row in rows for tag in row_tags(row))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return len(rows), [
        TagCount(tag, n, n / len(rows), n / len(rows) * total_errors) for tag, n in ranked
    ]
