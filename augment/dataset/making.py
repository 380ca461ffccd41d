"""Making examples: the chunk's examples from a maker, placed by the layout, and the
manifest row of each.

Shared by every dataset layout, and run in the workers. Example i is always made with the
generator from (seed, i), so what a run writes does not depend on the worker count, the
chunking or a resume.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from augment.core.errors import AugsynthError
from augment.core.seeding import example_rng, example_rngs
from augment.dataset.example import Example, ExampleMaker
from augment.dataset.manifest import dumps_row
from augment.dataset.pool import Chunk

Placed = TypeVar("Placed")


def place_examples(
    maker: ExampleMaker,
    seed: int,
    chunk: Chunk,
    place: Callable[[int, Example], Placed],
    failed: Callable[[dict[str, Any]], Placed],
) -> list[Placed]:
    """Make a chunk and hand each example to `place` (which writes or encodes it, for its
    layout); an example that failed, or that `place` refuses with an AugsynthError (e.g. a
    label no folder can be named after), becomes `failed({"index": i, "error": message})`."""
    placed = []
    for (index, _), example in zip(chunk, make_examples(maker, seed, chunk), strict=True):
        if not isinstance(example, str):
            try:
                placed.append(place(index, example))
                continue
            except AugsynthError as err:
                example = str(err)
        placed.append(failed({"index": index, "error": example}))
    return placed


def make_examples(maker: ExampleMaker, seed: int, chunk: Chunk) -> list[Example | str]:
    """The chunk's examples, or an error message in place of each one that failed.

    A maker with `make_batch(tasks, rngs)` makes the chunk in one call (same bytes as one by
    one); if that call fails, the chunk is redone one by one so only the bad input is lost.
    """
    make_batch = getattr(maker, "make_batch", None)
    if make_batch is not None:
        try:
            return make_batch([t for _, t in chunk], example_rngs(seed, [i for i, _ in chunk]))
        except Exception:  # redone one by one below, which reports the bad input alone
            pass
    results: list[Example | str] = []
    for index, task in chunk:
        try:
            results.append(maker.make(task, example_rng(seed, index)))
        except AugsynthError as err:
            results.append(str(err))
        except Exception as err:  # a long run reports an unexpected failure and goes on
            where = task.get("source", f"example {index}")
            results.append(f"{where}: {type(err).__name__}: {err}")
    return results


def manifest_row(
    index: int, location: dict[str, str], example: Example, seed: int
) -> dict[str, Any]:
    """Where an example went and how it was made; its columns never overwrite those fields.

    Our input's name is `source_file`, so a user's own `source` column keeps its name; an
    example made from no input (a synthetic crop) has none."""
    row: dict[str, Any] = {"index": index, **location, "label": example.label}
    if example.source is not None:
        row["source_file"] = example.source
    row |= {"seed": seed, "params": example.params}
    for key, value in example.columns.items():
        row[f"input_{key}" if key in row or key == "file_name" else key] = value
    return row


class Listed(NamedTuple):
    """An example's row as the worker that made it wrote it out: the main process only
    appends the line (parsing ~1 KB of params back from the worker, then writing them out
    again, cost it ~20 us a row, more than the rest of its work together)."""

    example: int  # its index
    line: bytes  # the row as a JSON line: the manifest's, or errors.jsonl's for a failure
    error: str | None = None  # why the example failed
    metadata: bytes = b""  # files layout: the example's metadata row as a JSON line


def listed(row: dict[str, Any], metadata: dict[str, Any] | None = None) -> Listed:
    """A made example's manifest row (and its metadata row) written out as lines."""
    meta = b"" if metadata is None else _line(metadata)
    return Listed(row["index"], _line(row), None, meta)


def failure(row: dict[str, Any]) -> Listed:
    """A failed example's error row ({"index", "error"}) written out as its line."""
    return Listed(row["index"], _line(row), row["error"])


def _line(row: dict[str, Any]) -> bytes:
    return (dumps_row(row) + "\n").encode("utf-8")


def error_row(entry: Listed) -> dict[str, Any]:
    """The errors.jsonl row of a failed example."""
    return {"index": entry.example, "error": entry.error}
